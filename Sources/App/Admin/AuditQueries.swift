import Fluent
import SQLKit
import Vapor

/// The audit log's one query: newest first, filtered, keyset on time.
struct AuditQueries {
    let database: any Database

    func page(action: String, actor: String, subject: String, before: Date?) async throws -> (entries: [AuditPage.Entry], more: Bool) {
        var conditions = [SQLQueryString("1 = 1")]
        if !action.isEmpty { conditions.append("a.action LIKE \(bind: action.replacingOccurrences(of: "%", with: "") + "%")") }
        if !actor.isEmpty { conditions.append("am.pseudonym_key = \(bind: Member.key(forPseudonym: actor))") }
        if !subject.isEmpty { conditions.append("sm.pseudonym_key = \(bind: Member.key(forPseudonym: subject))") }
        if let before { conditions.append("a.created_at < \(bind: before)") }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let rows = try await (database as! any SQLDatabase).raw(
            """
            SELECT a.action, a.created_at, a.target, a.reason, a.detail, a.before_text, a.after_text,
                   am.pseudonym AS actor, sm.pseudonym AS subject
            FROM audit_events a LEFT JOIN members am ON am.id = a.actor_id LEFT JOIN members sm ON sm.id = a.subject_member_id
            WHERE \(whereClause) ORDER BY a.created_at DESC LIMIT \(bind: AuditPage.pageSize + 1)
            """
        ).all()
        let entries = try rows.prefix(AuditPage.pageSize).map { row in
            AuditPage.Entry(
                action: try row.decode(column: "action", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                target: try row.decode(column: "target", as: String?.self),
                reason: try row.decode(column: "reason", as: String?.self),
                detail: try row.decode(column: "detail", as: String.self),
                before: try row.decode(column: "before_text", as: String?.self),
                after: try row.decode(column: "after_text", as: String?.self),
                actor: try row.decode(column: "actor", as: String?.self),
                subject: try row.decode(column: "subject", as: String?.self))
        }
        return (Array(entries), rows.count > AuditPage.pageSize)
    }
}
