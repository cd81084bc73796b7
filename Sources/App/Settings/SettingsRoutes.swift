import Fluent
import Vapor

/// A member's own settings: language and password.
struct SettingsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.grouped(RequireMember()).grouped("settings")
        settings.get(use: show)
        settings.post("language", use: saveLanguage)
        settings.post("password", use: changePassword)
    }

    /// GET /settings
    func show(req: Request) async throws -> Response {
        SettingsPage(member: try req.requireMember()).render(req)
    }

    /// POST /settings/language: nil ("follow my browser") or a language.
    func saveLanguage(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let raw = (try? req.content.get(String.self, at: "locale")) ?? ""
        member.locale = AppLocale(rawValue: raw)
        try await member.save(on: req.db)
        return req.redirect(to: "/settings", flash: Flash(.success, "flash.saved"))
    }

    /// POST /settings/password: needs the current password; other sessions end.
    func changePassword(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let form = try req.content.decode(ChangePasswordForm.self)
        var errors = FormErrors()
        let currentOK = try await req.password.async.verify(form.current_password ?? "", created: member.passwordHash)
        if !currentOK { errors.add("current_password", "settings.error.current_password") }
        let reset = ResetPasswordForm(password: form.password, password_confirm: form.password_confirm)
        for item in reset.validate(policy: req.connect.passwordPolicy, member: member).items { errors.add(item.field, item.key) }
        guard errors.isEmpty else {
            return SettingsPage(member: member, passwordErrors: errors).render(req)
        }
        let hash = try await req.password.async.hash(form.password ?? "")
        let keep = req.memberSession?.id
        try await req.db.transaction { db in
            member.passwordHash = hash
            try await member.save(on: db)
            let others = MemberSession.query(on: db).filter(\.$member.$id == (try member.requireID()))
            if let keep { others.filter(\.$id != keep) }
            try await others.delete()
        }
        return req.redirect(to: "/settings", flash: Flash(.success, "flash.password_changed"))
    }
}

/// The change-password form.
struct ChangePasswordForm: Content {
    var current_password: String?
    var password: String?
    var password_confirm: String?
}
