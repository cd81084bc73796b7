import Fluent
import Vapor

/// Sign up, verify, log in and out, and reset a password.
struct AccountsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("signup", use: signupForm)
        routes.post("signup", use: signup)
        routes.get("verify", ":token", use: verify)
        routes.post("verify", "resend", use: resendVerification)
        routes.get("login", use: loginForm)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
        routes.get("password", "forgot", use: forgotForm)
        routes.post("password", "forgot", use: forgot)
        routes.get("password", "reset", ":token", use: resetForm)
        routes.post("password", "reset", ":token", use: reset)
    }

    /// GET /signup
    func signupForm(req: Request) async throws -> Response {
        if req.member != nil { return req.redirect(to: "/") }
        return SignupPage().render(req)
    }

    /// POST /signup: on problems the form comes back with what was typed (except the password).
    func signup(req: Request) async throws -> Response {
        try await req.rateLimiter.hit("signup:ip:\(req.clientIP)", req.connect.config.rateLimits.signupPerIP)
        var form = try req.content.decode(SignupForm.self)
        var errors = form.validate(policy: req.connect.passwordPolicy)
        if errors.isEmpty {
            switch try await SignUp(request: req).run(form) {
            case .done:
                return NoticePage(id: "signup-done", titleKey: "signup.done_title", bodyKey: "signup.done_body").render(req)
            case .pseudonymTaken:
                errors.add("pseudonym", "signup.error.pseudonym_taken")
            }
        }
        form.password = nil
        return SignupPage(form: form, errors: errors).render(req)
    }

    /// GET /verify/:token: the link from the verification mail.
    func verify(req: Request) async throws -> Response {
        let secret = req.parameters.get("token") ?? ""
        let now = req.connect.clock.now()
        guard let token = try await AccountTokens.find(secret, purpose: .verifyEmail, on: req.db, now: now),
            let memberID = token.$member.id
        else {
            return NoticePage.tokenInvalid.render(req)
        }
        let verified = try await req.db.transaction { db -> Bool in
            guard try await AccountTokens.redeem(token, on: db, now: now) else { return false }
            try await Member.query(on: db).filter(\.$id == memberID).filter(\.$emailVerifiedAt == nil)
                .set(\.$emailVerifiedAt, to: now).update()
            return true
        }
        guard verified else { return NoticePage.tokenInvalid.render(req) }
        return NoticePage(
            id: "verify-done", titleKey: "verify.done_title", bodyKey: "verify.done_body",
            link: ("/login", "login.title")
        ).render(req)
    }

    /// POST /verify/resend: same answer whether or not the address has an unverified account.
    func resendVerification(req: Request) async throws -> Response {
        let email = Member.normalise(email: (try? req.content.get(String.self, at: "email")) ?? "")
        let limits = req.connect.config.rateLimits
        try await req.rateLimiter.hit("resend:ip:\(req.clientIP)", limits.resendPerIP)
        try await req.rateLimiter.hit("resend:account:\(email)", limits.resendPerAccount)
        let now = req.connect.clock.now()
        if let member = try await Member.query(on: req.db).filter(\.$email == email).first(), !member.isVerified {
            try await req.db.transaction { db in
                let token = try await AccountTokens.issue(.verifyEmail, for: try member.requireID(), on: db, now: now)
                let mail = req.accountMails(member.locale).verification(pseudonym: member.pseudonym, token: token)
                try await Outbox.enqueue(mail, to: member.email, on: db, now: now)
            }
        }
        return NoticePage(id: "resend-done", titleKey: "resend.done_title", bodyKey: "resend.done_body").render(req)
    }

    /// GET /login
    func loginForm(req: Request) async throws -> Response {
        let next = LocalPath.sanitise(req.query[String.self, at: "next"])
        if req.member != nil { return req.redirect(to: next) }
        return LoginPage(next: next).render(req)
    }

    /// "Welcome" on a first login, "Welcome back" after that, and a word about a restored account.
    static func welcome(_ member: Member, restored: Bool) -> String {
        restored ? "flash.account_restored" : member.lastSeenAt == nil ? "flash.logged_in_first" : "flash.logged_in"
    }

    /// POST /login: wrong email and wrong password get the same answer.
    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let next = LocalPath.sanitise(form.next)
        let email = form.emailValue
        var errors = FormErrors()
        if email.isEmpty { errors.add("email", "login.error.email_missing") }
        if (form.password ?? "").isEmpty { errors.add("password", "login.error.password_missing") }
        guard errors.isEmpty else {
            return LoginPage(email: form.email ?? "", next: next, errors: errors).render(req)
        }
        let outcome = try await LogIn(request: req).run(email: email, password: form.password ?? "")
        var welcomeBack = false
        if case .restored = outcome { welcomeBack = true }
        switch outcome {
        case .wrongCredentials:
            errors.add("email", "login.error.wrong")
            return LoginPage(email: form.email ?? "", next: next, errors: errors).render(req)
        case .unverified:
            return LoginPage(email: form.email ?? "", next: next, unverified: true).render(req)
        case .suspended(let until):
            return LoginPage(email: form.email ?? "", next: next, suspendedUntil: until).render(req)
        case .loggedIn(let member) where member.hasTwoFactor, .restored(let member) where member.hasTwoFactor:
            return try await TwoFactorRoutes.startChallenge(for: member, next: next, req: req)
        case .loggedIn(let member), .restored(let member):
            let cookie = try await LogIn.openSession(for: member, request: req)
            // The first login invites an introduction (once; skipping is fine), then the manual.
            let target = member.introPromptedAt == nil && member.role == .member ? "/intro?next=\(LocalPath.encode(next))" : next
            let response = req.redirect(to: target, flash: Flash(.success, Self.welcome(member, restored: welcomeBack)))
            response.cookies[SessionAuthenticator.cookieName] = cookie
            return response
        }
    }

    /// POST /logout: ends this session.
    func logout(req: Request) async throws -> Response {
        if let session = req.memberSession {
            try await session.delete(on: req.db)
        }
        let response = req.redirect(to: "/", flash: Flash(.info, "flash.logged_out"))
        response.cookies[SessionAuthenticator.cookieName] = .removal
        return response
    }

    /// GET /password/forgot
    func forgotForm(req: Request) async throws -> Response {
        ForgotPasswordPage().render(req)
    }

    /// How long every "forgot password" answer takes: far above the work either case needs.
    static let forgotAnswerTime = Duration.milliseconds(60)

    /// POST /password/forgot: same answer, at the same time, for known and unknown addresses.
    func forgot(req: Request) async throws -> Response {
        let form = try req.content.decode(ForgotPasswordForm.self)
        let email = Member.normalise(email: form.email ?? "")
        guard EmailAddress.isPlausible(email) else {
            var errors = FormErrors()
            errors.add("email", "signup.error.email")
            return ForgotPasswordPage(email: form.email ?? "", errors: errors).render(req)
        }
        let limits = req.connect.config.rateLimits
        try await req.rateLimiter.hit("reset:ip:\(req.clientIP)", limits.resetPerIP)
        try await req.rateLimiter.hit("reset:account:\(email)", limits.resetPerAccount)
        let now = req.connect.clock.now()
        // A known address costs a token and a mail more than an unknown one: every answer waits
        // until the same moment, so the time taken does not tell whether an address is a member's.
        let answerAt = ContinuousClock.now + Self.forgotAnswerTime
        if let member = try await Member.query(on: req.db).filter(\.$email == email).first() {
            try await req.db.transaction { db in
                let token = try await AccountTokens.issue(.resetPassword, for: try member.requireID(), on: db, now: now)
                let mail = req.accountMails(member.locale).passwordReset(pseudonym: member.pseudonym, token: token)
                try await Outbox.enqueue(mail, to: member.email, on: db, now: now)
            }
        }
        try await Task.sleep(until: answerAt, clock: .continuous)
        return NoticePage(id: "forgot-done", titleKey: "forgot.done_title", bodyKey: "forgot.done_body").render(req)
    }

    /// GET /password/reset/:token
    func resetForm(req: Request) async throws -> Response {
        let secret = req.parameters.get("token") ?? ""
        guard try await AccountTokens.find(secret, purpose: .resetPassword, on: req.db, now: req.connect.clock.now()) != nil else {
            return NoticePage.tokenInvalid.render(req)
        }
        return ResetPasswordPage(token: secret).render(req)
    }

    /// POST /password/reset/:token: sets the password, ends every session of the member.
    func reset(req: Request) async throws -> Response {
        let secret = req.parameters.get("token") ?? ""
        let now = req.connect.clock.now()
        guard let token = try await AccountTokens.find(secret, purpose: .resetPassword, on: req.db, now: now),
            let member = try await token.$member.get(on: req.db)
        else {
            return NoticePage.tokenInvalid.render(req)
        }
        let form = try req.content.decode(ResetPasswordForm.self)
        let errors = form.validate(policy: req.connect.passwordPolicy, member: member)
        guard errors.isEmpty else { return ResetPasswordPage(token: secret, errors: errors).render(req) }
        let hash = try await req.password.async.hash(form.password ?? "")
        let changed = try await req.db.transaction { db -> Bool in
            guard try await AccountTokens.redeem(token, on: db, now: now) else { return false }
            member.passwordHash = hash
            // Following the emailed link proves the address too.
            if member.emailVerifiedAt == nil { member.emailVerifiedAt = now }
            try await member.save(on: db)
            try await MemberSession.query(on: db).filter(\.$member.$id == (try member.requireID())).delete()
            return true
        }
        guard changed else { return NoticePage.tokenInvalid.render(req) }
        let response = NoticePage(
            id: "reset-done", titleKey: "reset.done_title", bodyKey: "reset.done_body",
            link: ("/login", "login.title")
        ).render(req)
        response.cookies[SessionAuthenticator.cookieName] = .removal
        return response
    }
}
