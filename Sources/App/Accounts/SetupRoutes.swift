import Fluent
import Vapor

/// GET/POST /setup/:token: creates the first administrator from the console's one-time link.
struct SetupRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("setup", ":token", use: form)
        routes.post("setup", ":token", use: create)
    }

    private func validToken(_ req: Request) async throws -> AccountToken? {
        let secret = req.parameters.get("token") ?? ""
        guard try await !AdminSetup.adminExists(on: req.db) else { return nil }
        return try await AccountTokens.find(secret, purpose: .adminSetup, on: req.db, now: req.connect.clock.now())
    }

    func form(req: Request) async throws -> Response {
        guard try await validToken(req) != nil else { return NoticePage.tokenInvalid.render(req) }
        return SetupPage(token: req.parameters.get("token") ?? "").render(req)
    }

    func create(req: Request) async throws -> Response {
        guard let token = try await validToken(req) else { return NoticePage.tokenInvalid.render(req) }
        let secret = req.parameters.get("token") ?? ""
        var form = try req.content.decode(SignupForm.self)
        // The administrator accepts the texts they are about to publish.
        form.accept_terms = "on"
        form.accept_privacy = "on"
        form.accept_rules = "on"
        let errors = form.validate(policy: req.connect.passwordPolicy, forTeam: true)
        guard errors.isEmpty else {
            form.password = nil
            return SetupPage(token: secret, form: form, errors: errors).render(req)
        }
        let now = req.connect.clock.now()
        let hash = try await req.password.async.hash(form.password ?? "")
        let (email, pseudonym) = (form.emailValue, form.pseudonymValue)
        let admin = try await req.db.transaction { db -> Member? in
            guard try await AccountTokens.redeem(token, on: db, now: now) else { return nil }
            return try await AdminSetup.createAdmin(email: email, pseudonym: pseudonym, passwordHash: hash, on: db, now: now)
        }
        guard let admin else { return NoticePage.tokenInvalid.render(req) }
        // The first admin sets up two-factor sign-in before anything else.
        let response = req.redirect(to: "/settings/two-factor", flash: Flash(.success, "setup.done"))
        response.cookies[SessionAuthenticator.cookieName] = try await LogIn.openSession(for: admin, request: req)
        return response
    }
}

/// The form that creates the first administrator.
struct SetupPage {
    let token: String
    var form = SignupForm()
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("setup.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("setup.title")) }
            El("p", ["class": "lead"]) { T(t("setup.lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "setup-form", "class": "stack-form", "method": "post", "action": Paths.setup(token: token), "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(
                    id: "email", type: "email", label: t("field.email"), value: form.email ?? "",
                    error: error("email"), autocomplete: "email", maxLength: 254)
                TextFieldRow(
                    id: "pseudonym", type: "text", label: t("field.pseudonym"), value: form.pseudonym ?? "",
                    error: error("pseudonym"), autocomplete: "nickname", maxLength: 30)
                TextFieldRow(
                    id: "password", type: "password", label: t("field.password"), hint: t("signup.password_hint"),
                    error: error("password"), autocomplete: "new-password", maxLength: 72)
                SubmitRow(id: "setup-submit", label: t("setup.submit"))
            }
        }
    }
}
