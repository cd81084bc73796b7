import Fluent
import SQLKit
import Vapor

/// Administrators browse the append-only audit log; there is no route that changes it.
struct AuditRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireRole.admin).get("admin", "audit", use: list)
    }

    /// GET /admin/audit?action=&actor=&member=&before=: newest first, 50 a page, keyset on time.
    func list(req: Request) async throws -> Response {
        let action = (req.query[String.self, at: "action"] ?? "").trimmingCharacters(in: .whitespaces)
        let actor = (req.query[String.self, at: "actor"] ?? "").trimmingCharacters(in: .whitespaces)
        let subject = (req.query[String.self, at: "member"] ?? "").trimmingCharacters(in: .whitespaces)
        let before = req.query[Double.self, at: "before"].map { Date(timeIntervalSince1970: $0) }
        let (entries, more) = try await AuditQueries(database: req.db).page(action: action, actor: actor, subject: subject, before: before)
        return AuditPage(entries: entries, action: action, actor: actor, subject: subject, more: more).render(req)
    }
}
