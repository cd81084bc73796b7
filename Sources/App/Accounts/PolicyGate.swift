import Fluent
import SQLKit
import Vapor

/// When admins publish a new version of the terms, privacy policy or rules, a member is asked
/// to accept it at their next visit before going on. Help, the pages themselves, logging out,
/// and the member's data rights stay reachable.
struct PolicyGate: AsyncMiddleware {
    /// Paths (and path prefixes ending in "/") that never wait for acceptance.
    static let open: [String] = [
        "/accept-terms", "/logout", "/help", "/terms", "/privacy", "/rules", "/support", "/healthz",
        "/settings/export", "/settings/leave", "/login", "/css/", "/js/", "/favicon",
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The session lookup already answered whether anything waits (no query of its own here).
        guard request.member != nil, request.storage[PoliciesOutdatedKey.self] == true, !Self.isOpen(request.url.path) else {
            return try await next.respond(to: request)
        }
        if request.method == .GET || request.method == .HEAD {
            var target = request.url.path
            if let query = request.url.query, !query.isEmpty { target += "?\(query)" }
            return request.redirect(to: "/accept-terms?next=\(LocalPath.encode(target))")
        }
        // A form sent just as the terms changed: keep the text and bring it back afterwards.
        return try await FormRescue.keep(request, returnPath: request.url.path, via: "/accept-terms", flash: "terms.kept")
    }

    static func isOpen(_ path: String) -> Bool {
        open.contains { $0.hasSuffix("/") ? path.hasPrefix($0) : (path == $0 || path.hasPrefix($0 + "/")) }
    }

    /// The same rule as `outdated(for:on:)`, as an SQL expression counting the pages that wait,
    /// for the member row aliased `member` (part of the session lookup on every request).
    static func outdatedCountSQL(member m: String) -> String {
        let slugs = PageSlug.acceptedAtSignup.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return """
            (SELECT COUNT(*) FROM (SELECT v.slug, MAX(v.version) AS cur, MAX(v.created_at) AS pub FROM page_versions v
                                   WHERE v.slug IN (\(slugs)) GROUP BY v.slug) pv
             WHERE COALESCE((SELECT MAX(a.page_version) FROM policy_acceptances a WHERE a.member_id = \(m).id AND a.page_slug = pv.slug),
                            CASE WHEN pv.pub > \(m).created_at THEN 0 ELSE pv.cur END) < pv.cur)
            """
    }

    /// The policy pages whose newest version the member has not accepted, with that version.
    /// One query: the newest version of each page next to the member's newest acceptance.
    /// Accounts made without the sign-up form (the first administrator, demo data) have no
    /// acceptance yet: they are asked about versions published after they joined.
    static func outdated(for member: Member, on db: any Database) async throws -> [(slug: PageSlug, version: Int)] {
        let memberID = try member.requireID()
        let slugs = PageSlug.acceptedAtSignup.map(\.rawValue)
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT v.slug, MAX(v.version) AS current, MAX(v.created_at) AS published,
                   (SELECT MAX(a.page_version) FROM policy_acceptances a WHERE a.member_id = \(bind: memberID) AND a.page_slug = v.slug) AS accepted
            FROM page_versions v WHERE v.slug IN (\(binds: slugs)) GROUP BY v.slug
            """
        ).all()
        return try rows.compactMap { row in
            guard let slug = PageSlug(rawValue: try row.decode(column: "slug", as: String.self)) else { return nil }
            let current = try row.decode(column: "current", as: Int.self)
            let isNew: Bool
            if let accepted = try row.decode(column: "accepted", as: Int?.self) {
                isNew = accepted < current
            } else {
                isNew = try row.decode(column: "published", as: Date.self) > member.createdAt
            }
            return isNew ? (slug, current) : nil
        }.sorted { $0.slug.rawValue < $1.slug.rawValue }
    }
}
