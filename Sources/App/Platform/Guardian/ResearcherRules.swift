import Vapor

/// Researchers see the research pages only: study set-up, figures and exports. They never see
/// members' words, names, pseudonyms, profiles or messages, so every other page is closed to
/// the researcher role (admins, who may also do research, keep their own powers).
extension Guardian {
    /// Paths (and prefixes ending in "/") a researcher may open: their research pages, their
    /// own account and settings, and the community's public texts.
    static let researcherPaths: [String] = [
        "/research", "/settings", "/logout", "/login", "/accept-terms", "/help", "/terms", "/privacy", "/rules", "/manual",
        "/healthz", "/css/", "/js/", "/favicon", "/language",
    ]

    static func researcherMayOpen(_ path: String) -> Bool {
        path == "/" || researcherPaths.contains { $0.hasSuffix("/") ? path.hasPrefix($0) : (path == $0 || path.hasPrefix($0 + "/")) }
    }
}

/// Keeps researchers to the research pages: the home page sends them to the dashboard, any
/// other page is refused as for any member without the right.
struct ResearcherConfinement: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let member = request.member, member.role == .researcher else { return try await next.respond(to: request) }
        let path = request.url.path
        if path == "/" && request.method == .GET { return request.redirect(to: Paths.research) }
        guard Guardian.researcherMayOpen(path) else { throw AppError.forbidden }
        return try await next.respond(to: request)
    }
}
