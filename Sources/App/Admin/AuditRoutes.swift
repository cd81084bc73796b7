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
        var conditions = [SQLQueryString("1 = 1")]
        if !action.isEmpty { conditions.append("a.action LIKE \(bind: action.replacingOccurrences(of: "%", with: "") + "%")") }
        if !actor.isEmpty { conditions.append("am.pseudonym_key = \(bind: Member.key(forPseudonym: actor))") }
        if !subject.isEmpty { conditions.append("sm.pseudonym_key = \(bind: Member.key(forPseudonym: subject))") }
        if let before { conditions.append("a.created_at < \(bind: before)") }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let rows = try await (req.db as! any SQLDatabase).raw("""
            SELECT a.action, a.created_at, a.target, a.reason, a.detail, a.before_text, a.after_text,
                   am.pseudonym AS actor, sm.pseudonym AS subject
            FROM audit_events a LEFT JOIN members am ON am.id = a.actor_id LEFT JOIN members sm ON sm.id = a.subject_member_id
            WHERE \(whereClause) ORDER BY a.created_at DESC LIMIT \(bind: AuditPage.pageSize + 1)
            """).all()
        let entries = try rows.prefix(AuditPage.pageSize).map { row in
            AuditPage.Entry(action: try row.decode(column: "action", as: String.self),
                            createdAt: try row.decode(column: "created_at", as: Date.self),
                            target: try row.decode(column: "target", as: String?.self),
                            reason: try row.decode(column: "reason", as: String?.self),
                            detail: try row.decode(column: "detail", as: String.self),
                            before: try row.decode(column: "before_text", as: String?.self),
                            after: try row.decode(column: "after_text", as: String?.self),
                            actor: try row.decode(column: "actor", as: String?.self),
                            subject: try row.decode(column: "subject", as: String?.self))
        }
        return AuditPage(entries: Array(entries), action: action, actor: actor, subject: subject,
                         more: rows.count > AuditPage.pageSize).render(req)
    }
}
