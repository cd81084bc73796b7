import Fluent
import Vapor

/// A member's own settings: pseudonym, email, language and time zone, password, sessions.
struct SettingsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.grouped(RequireMember()).grouped("settings")
        settings.get(use: show)
        settings.post("language", use: saveLanguage)
        settings.post("pseudonym", use: changePseudonym)
        settings.post("email", use: changeEmail)
        // The link in the confirmation mail works without being logged in: the token proves it.
        routes.get("settings", "email", "confirm", ":token", use: confirmEmail)
        settings.post("password", use: changePassword)
        settings.post("sessions", ":sessionID", "end", use: endSession)
        settings.post("sessions", "end-others", use: endOtherSessions)
    }

    /// GET /settings
    func show(req: Request) async throws -> Response {
        let member = try req.requireMember()
        return try await page(member, req).render(req)
    }

    /// The page for this member, ready to add errors to.
    func page(_ member: Member, _ req: Request) async throws -> SettingsPage {
        SettingsPage(
            member: member, sessions: try await Self.sessions(of: member, req: req), current: req.memberSession?.id,
            nextPseudonymChange: PseudonymChange.nextChange(of: member, now: req.connect.clock.now()))
    }

    /// POST /settings/pseudonym
    func changePseudonym(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let typed = (try? req.content.get(String.self, at: "new_pseudonym")) ?? ""
        let outcome = try await ChangePseudonym(context: req.context(as: member)).run(to: typed)
        var page = try await page(member, req)
        switch outcome {
        case .changed:
            return req.redirect(to: "/settings", flash: Flash(.success, "settings.pseudonym_changed"))
        case .invalid(let key):
            page.errors.add("new_pseudonym", key)
        case .tooSoon:
            page.errors.add("new_pseudonym", "settings.error.pseudonym_too_soon")
        }
        page.failed = .pseudonym
        page.typed = ["new_pseudonym": typed]
        return page.render(req)
    }

    /// POST /settings/email: sends a confirmation link to the new address.
    func changeEmail(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let typed = (try? req.content.get(String.self, at: "new_email")) ?? ""
        let password = (try? req.content.get(String.self, at: "email_password")) ?? ""
        switch try await ChangeEmail(context: req.context(as: member)).request(newAddress: typed, password: password) {
        case .sent:
            return req.redirect(to: "/settings", flash: Flash(.success, "settings.email_sent"))
        case .invalid(let field, let key):
            var page = try await page(member, req)
            page.errors.add(field, key)
            page.failed = .email
            page.typed = ["new_email": typed]
            return page.render(req)
        }
    }

    /// GET /settings/email/confirm/:token: the new address takes effect.
    func confirmEmail(req: Request) async throws -> Response {
        guard try await ChangeEmail.confirm(secret: req.parameters.get("token") ?? "", on: req.db, now: req.connect.clock.now()) else {
            return NoticePage.tokenInvalid.render(req)
        }
        return NoticePage(
            id: "email-changed", titleKey: "settings.email_changed_title", bodyKey: "settings.email_changed_body",
            link: ("/settings", "settings.title")
        ).render(req)
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
                .filter(\.$member.$id == member.requireID()).first()
        else { throw AppError.notFound }
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

    /// POST /settings/language: nil ("follow my browser") or a language, and a time zone.
    func saveLanguage(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let raw = (try? req.content.get(String.self, at: "locale")) ?? ""
        let zone = (try? req.content.get(String.self, at: "time_zone")) ?? member.timeZone
        guard TimeZones.known.contains(zone) else {
            var page = try await page(member, req)
            page.errors.add("time_zone", "settings.error.time_zone")
            page.failed = .language
            return page.render(req)
        }
        member.locale = AppLocale(rawValue: raw)
        member.timeZone = zone
        try await member.save(on: req.db)
        return req.redirect(to: "/settings", flash: Flash(.success, "flash.saved"))
    }

    /// POST /settings/password: needs the current password; other sessions end.
    func changePassword(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let form = try req.content.decode(ChangePasswordForm.self)
        var errors = FormErrors()
        let currentOK = try await CurrentPassword.matches(form.current_password ?? "", for: member, on: req)
        if !currentOK { errors.add("current_password", "settings.error.current_password") }
        let reset = ResetPasswordForm(password: form.password, password_confirm: form.password_confirm)
        for item in reset.validate(policy: req.connect.passwordPolicy, member: member).items { errors.add(item.field, item.key) }
        guard errors.isEmpty else {
            var page = try await page(member, req)
            page.errors = errors
            page.failed = .password
            return page.render(req)
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
