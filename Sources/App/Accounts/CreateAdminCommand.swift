import Fluent
import Vapor

/// `connect create-admin --email … --pseudonym …`: asks for a password at a terminal, or
/// prints a one-time link to set it when there is no terminal.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The administrator's email address")
        var email: String?
        @Option(name: "pseudonym", help: "The administrator's public name")
        var pseudonym: String?
    }

    var help: String { "Creates an administrator account." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var form = SignupForm(
            email: signature.email, password: nil, pseudonym: signature.pseudonym,
            real_name: nil, accept_terms: "on", accept_privacy: "on", accept_rules: "on")
        let interactive = isatty(STDIN_FILENO) == 1
        var password = SecureToken.generate()
        if interactive {
            password = context.console.ask("Password (at least 10 characters)", isSecure: true)
            let again = context.console.ask("Password again", isSecure: true)
            guard password == again else {
                context.console.error("The passwords differ.")
                throw ExitCode(1)
            }
        }
        form.password = password
        let errors = form.validate(policy: app.connect.passwordPolicy, forTeam: true)
        guard errors.isEmpty else {
            for item in errors.items {
                context.console.error("\(item.field): \(app.connect.localizer.text(item.key, .en))")
            }
            throw ExitCode(1)
        }
        let now = app.connect.clock.now()
        let emailTaken = try await Member.query(on: app.db).filter(\.$email == form.emailValue).count() > 0
        // A look-alike of a member's name is as taken as the name itself.
        let pseudonymTaken = try await PseudonymChange.isTaken(form.pseudonymValue, by: nil, on: app.db, now: now)
        guard !emailTaken && !pseudonymTaken else {
            context.console.error("That email or pseudonym is already in use.")
            throw ExitCode(1)
        }
        let hash = try await app.password.async.hash(password)
        let (email, pseudonym) = (form.emailValue, form.pseudonymValue)
        let link = try await app.db.transaction { db -> String? in
            let admin = try await AdminSetup.createAdmin(email: email, pseudonym: pseudonym, passwordHash: hash, on: db, now: now)
            guard !interactive else { return nil }
            let secret = try await AccountTokens.issue(.resetPassword, for: try admin.requireID(), on: db, now: now)
            return app.connect.config.publicURL + Paths.passwordReset(token: secret)
        }
        context.console.success("Administrator \(form.pseudonymValue) created.")
        if let link {
            context.console.print("Set the password within an hour with this one-time link: \(link)")
        }
    }
}

/// Ends a command with a non-zero exit status.
struct ExitCode: Error {
    let code: Int32
    init(_ code: Int32) { self.code = code }
}
