import Fluent
import Foundation
import SQLKit

/// Moderation that flows, and nothing lost by accident:
/// - a crisis queue item names the alert raised with it (`review_items.alert_id`), so
///   acknowledging one resolves the other; existing pairs are linked by what they share (the
///   post, the member and the moment they were written together);
/// - the queue's stored priority becomes severity (crisis, "I am worried about this person",
///   privacy, rule reports, welcomes), recomputed for existing items from their reports;
/// - a post deleted by its author keeps when, and the state it had (`posts.removed_at`,
///   `posts.removed_from`), so the author can undo it for a while.
struct M030_ModerationFlow: AsyncMigration {
    var name: String { "M030_ModerationFlow" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("review_items").field("alert_id", .uuid).update()
        try await sql.create(index: "ix_review_items_alert").on("review_items").column("alert_id").run()
        try await sql.raw(
            """
            UPDATE review_items SET alert_id = (
              SELECT a.id FROM alerts a
              WHERE a.member_id = review_items.member_id AND a.created_at = review_items.created_at
                AND (a.post_id = review_items.post_id OR (a.post_id IS NULL AND review_items.post_id IS NULL))
              ORDER BY a.id LIMIT 1)
            WHERE kind = 'crisis'
            """
        ).run()
        try await sql.raw(
            """
            UPDATE review_items SET priority = CASE
              WHEN kind = 'crisis' THEN 0
              WHEN kind IN ('flag', 'message_report') AND (summary = 'worried'
                OR EXISTS (SELECT 1 FROM flags f WHERE f.review_item_id = review_items.id AND f.reason = 'worried')) THEN 1
              WHEN kind = 'privacy' OR (kind IN ('flag', 'message_report') AND (summary = 'privacy'
                OR EXISTS (SELECT 1 FROM flags f WHERE f.review_item_id = review_items.id AND f.reason = 'privacy'))) THEN 2
              WHEN kind = 'welcome' THEN 4
              ELSE 3 END
            """
        ).run()

        // One column a statement: SQLite adds one at a time.
        try await database.schema("posts").field("removed_at", .datetime).update()
        try await database.schema("posts").field("removed_from", .string).update()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // A deleted post stays deleted, without its undo.
        try await database.schema("posts").deleteField("removed_from").update()
        try await database.schema("posts").deleteField("removed_at").update()
        // The priorities by kind alone, as before.
        try await sql.raw(
            """
            UPDATE review_items SET priority = CASE kind
              WHEN 'crisis' THEN 0 WHEN 'flag' THEN 1 WHEN 'message_report' THEN 1
              WHEN 'trigger' THEN 2 WHEN 'privacy' THEN 3 ELSE 4 END
            """
        ).run()
        // SQLite drops a column only once no index uses it.
        try await sql.drop(index: "ix_review_items_alert").run()
        try await database.schema("review_items").deleteField("alert_id").update()
    }
}
