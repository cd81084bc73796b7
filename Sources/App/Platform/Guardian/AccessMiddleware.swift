import Vapor

/// Lets a request through only for a logged-in, verified member; visitors are sent to the
/// login page and brought back afterwards.
struct RequireMember: Middleware {
    /// A member goes straight on, without a task of its own (this runs on every member page).
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if request.member != nil { return next.respond(to: request) }
        return request.eventLoop.makeFutureWithTask { try await Self.turnAway(request) }
    }

    /// Nobody is logged in: to the login page, keeping a form's text.
    static func turnAway(_ request: Request) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD else {
            // A form sent after the session expired: keep its text. Forms are posted to the
            // path of the page that shows them, so that is where the member comes back to.
            return try await FormRescue.keep(request, returnPath: request.url.path)
        }
        var target = request.url.path
        if let query = request.url.query, !query.isEmpty { target += "?\(query)" }
        return request.redirect(to: "/login?next=\(LocalPath.encode(target))", flash: Flash(.info, "flash.login_needed"))
    }
}

/// Lets a request through only when the Guardian's rule allows the member in.
struct RequireRole: AsyncMiddleware {
    let rule: @Sendable (Member) -> Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let member = request.member else { return try await RequireMember.turnAway(request) }
        // The team sees personal data, and editors write to the whole community: their pages
        // need two-factor sign-in set up first (Guardian withholds every such power until then).
        if requiresTwoFactor && TwoFactor.isRequired(for: member) && !Guardian.hasTeamPowers(member) {
            return request.redirect(to: "/settings/two-factor", flash: Flash(.info, "two_factor.required"))
        }
        guard rule(member) else { throw AppError.forbidden }
        // Every team page shows the crisis alerts nobody has acknowledged yet.
        if requiresTwoFactor && Guardian.canModerate(member) {
            request.storage[OpenAlertsKey.self] = try await AlertRows.openCount(on: request.db)
        }
        return try await next.respond(to: request)
    }

    var requiresTwoFactor = false

    static let moderator = RequireRole(rule: Guardian.canModerate, requiresTwoFactor: true)
    static let admin = RequireRole(rule: Guardian.canAdminister, requiresTwoFactor: true)
    static let researcher = RequireRole(rule: Guardian.canResearch)
    static let editor = RequireRole(rule: Guardian.canEditNews, requiresTwoFactor: true)
}

/// Lets a member write only when not silenced; a silenced member sees why, and until when,
/// with the text they sent shown back to them.
struct RequireWriter: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let member = try request.requireMember()
        guard Guardian.canWrite(member, now: request.connect.clock.now()) else {
            let typed = request.method == .POST ? ((try? request.content.get(String.self, at: "body")) ?? "") : ""
            return SilencedPage(until: member.silencedUntil ?? request.connect.clock.now(), typed: typed).render(request)
        }
        return try await next.respond(to: request)
    }
}

/// Keeps redirects on this site: only plain local paths are accepted.
enum LocalPath {
    static func sanitise(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"),
            !raw.contains("\\"), !raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            raw.count <= 512
        else { return "/" }
        return raw
    }

    static func encode(_ path: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=?+#")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}
