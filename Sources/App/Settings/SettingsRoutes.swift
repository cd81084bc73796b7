import Fluent
import Vapor

/// A member's own settings: language and password.
struct SettingsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.grouped(RequireMember()).grouped("settings")
        settings.get(use: show)
        settings.post("language", use: saveLanguage)
        settings.post("password", use: changePassword)
        settings.post("sessions", ":sessionID", "end", use: endSession)
        settings.post("sessions", "end-others", use: endOtherSessions)
    }

    /// GET /settings
    func show(req: Request) async throws -> Response {
        let member = try req.requireMember()
        return SettingsPage(member: member, sessions: try await Self.sessions(of: member, req: req), current: req.memberSession?.id).render(req)
    }

    /// The member's sessions that are still valid, newest first.
    static func sessions(of member: Member, req: Request) async throws -> [MemberSession] {
        try await MemberSession.query(on: req.db).filter(\.$member.$id == member.requireID())
            .filter(\.$expiresAt > req.connect.clock.now()).sort(\.$createdAt, .descending).limit(50).all()
    }

    /// POST /settings/sessions/:sessionID/end: logs out one of the member's own sessions.
    func endSession(req: Request) async throws -> Response {
        let member = try req.requireMember()
        guard let id = req.parameters.get("sessionID", as: UUID.self),
              let session = try await MemberSession.query(on: req.db).filter(\.$id == id)
                .filter(\.$member.$id == member.requireID()).first() else { throw AppError.notFound }
        try await session.delete(on: req.db)
        return req.redirect(to: id == req.memberSession?.id ? "/" : "/settings", flash: Flash(.success, "settings.session_ended"))
    }

    /// POST /settings/sessions/end-others: logs out everywhere but here.
    func endOtherSessions(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let others = MemberSession.query(on: req.db).filter(\.$member.$id == (try member.requireID()))
        if let keep = req.memberSession?.id { others.filter(\.$id != keep) }
        try await others.delete()
        return req.redirect(to: "/settings", flash: Flash(.success, "settings.sessions_ended"))
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
            return SettingsPage(member: member, sessions: try await Self.sessions(of: member, req: req), current: req.memberSession?.id,
                                passwordErrors: errors).render(req)
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
