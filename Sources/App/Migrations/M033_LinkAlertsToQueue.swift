import Fluent
import SQLKit

/// One thing, one action: a crisis queue item knows its alert (acknowledging either settles
/// both), and the queue's order follows severity: crisis, "I am worried about this person"
/// (and concerning words), privacy, rule reports, welcomes.
struct M033_LinkAlertsToQueue: AsyncMigration {
    var name: String { "M033_LinkAlertsToQueue" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("review_items").field("alert_id", .uuid).update()
        try await sql.create(index: "ix_review_items_alert").on("review_items").column("alert_id").run()
        // Items and alerts written together share their post, member and moment.
        try await sql.raw(
            """
            UPDATE review_items SET alert_id = (SELECT a.id FROM alerts a WHERE a.member_id = review_items.member_id
              AND a.created_at = review_items.created_at
              AND (a.post_id = review_items.post_id OR (a.post_id IS NULL AND review_items.post_id IS NULL)) LIMIT 1)
            WHERE kind = 'crisis'
            """
        ).run()
        try await Self.setPriorities(on: sql)
    }

    /// The severity order for every item (open or not, so figures stay comparable).
    static func setPriorities(on sql: any SQLDatabase) async throws {
        let cases = ReviewItem.Kind.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.priority)" }.joined(separator: " ")
        try await sql.raw("UPDATE review_items SET priority = CASE kind \(unsafeRaw: cases) ELSE priority END").run()
        for reason in Flag.Reason.allCases where ReviewItem.priority(forReport: reason) < ReviewItem.Kind.flag.priority {
            try await sql.raw(
                """
                UPDATE review_items SET priority = \(bind: ReviewItem.priority(forReport: reason))
                WHERE kind = 'flag' AND priority > \(bind: ReviewItem.priority(forReport: reason))
                  AND EXISTS (SELECT 1 FROM flags f WHERE f.review_item_id = review_items.id AND f.reason = \(bind: reason.rawValue))
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "ix_review_items_alert").run()
        try await database.schema("review_items").deleteField("alert_id").update()
    }
}
