import Fluent
import Foundation
import SQLKit
import TextRules

/// Private messages: conversations of two to five members, their participants (with where each
/// has read to, and whether they muted or left it), the messages, blocks between members,
/// reports of a message, each member's choice of who may start a conversation with them, and
/// the review queue's link to a reported message. Also a new version of the rules and terms,
/// which now state the messages policy, where the stored version does not say it yet.
struct M027_CreateMessages: AsyncMigration {
    var name: String { "M027_CreateMessages" }
    let pagesDirectory: String
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("conversations")
            .field("id", .int, .identifier(auto: true))
            .field("started_by", .uuid, .references("members", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("last_message_at", .datetime, .required)
            // The newest message's id: unread is "last_message_id > my last_read_message_id".
            .field("last_message_id", .int, .required)
            .field("from_moderators", .bool, .required)
            .create()

        try await database.schema("conversation_members")
            .id()
            .field("conversation_id", .int, .required, .references("conversations", "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("joined_at", .datetime, .required)
            .field("left_at", .datetime)
            .field("muted", .bool, .required)
            .field("last_read_message_id", .int, .required)
            .unique(on: "conversation_id", "member_id", name: "uq_conversation_members_pair")
            .create()
        // A member's list and the header's unread count read by member.
        try await sql.create(index: "ix_conversation_members_member").on("conversation_members").column("member_id").column("left_at").run()

        try await database.schema("messages")
            .field("id", .int, .identifier(auto: true))
            .field("conversation_id", .int, .required, .references("conversations", "id", onDelete: .cascade))
            .field("author_id", .uuid, .references("members", "id", onDelete: .setNull))
            .field("body_markdown", .string, .required)
            .field("body_html", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        // A conversation's page walks its messages newest first, by id (keyset).
        try await sql.create(index: "ix_messages_conversation").on("messages").column("conversation_id").column("id").run()
        try await sql.create(index: "ix_messages_author").on("messages").column("author_id").run()

        try await database.schema("message_blocks")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("blocked_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "member_id", "blocked_id", name: "uq_message_blocks_pair")
            .create()
        try await sql.create(index: "ix_message_blocks_blocked").on("message_blocks").column("blocked_id").run()

        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema("members").field("message_policy", .string, .required, .sql(.default("everyone"))).update()
        // No foreign key: SQLite adds none to an existing table; a message is never deleted on its own.
        try await database.schema("review_items").field("message_id", .int).update()
        // A notification about a conversation (new messages, grouped while unread).
        try await database.schema("notifications").field("conversation_id", .int).update()

        try await database.schema("message_reports")
            .id()
            .field("message_id", .int, .required, .references("messages", "id", onDelete: .cascade))
            .field("reporter_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("reason", .string, .required)
            .field("note", .string, .required)
            .field("created_at", .datetime, .required)
            .field("review_item_id", .uuid, .required, .references("review_items", "id", onDelete: .cascade))
            .unique(on: "message_id", "reporter_id", name: "uq_message_reports_pair")
            .create()

        try await seedPageVersions(on: sql)
    }

    /// The rules and terms now state the messages policy: a new version of each, in each
    /// language, unless the latest stored version already holds the shipped text.
    private func seedPageVersions(on sql: any SQLDatabase) async throws {
        for slug in ["rules", "terms"] {
            for locale in AppLocale.allCases {
                let (title, body) = try PageFile(directory: pagesDirectory, slug: slug, locale: locale.rawValue).read()
                let latest = try await sql.raw(
                    """
                    SELECT version, body_markdown FROM page_versions WHERE slug = \(bind: slug) AND locale = \(bind: locale.rawValue)
                    ORDER BY version DESC LIMIT 1
                    """
                ).first()
                let version = try latest?.decode(column: "version", as: Int.self) ?? 0
                if let latest, try latest.decode(column: "body_markdown", as: String.self) == body { continue }
                try await sql.insert(into: "page_versions")
                    .columns("id", "slug", "locale", "version", "title", "body_markdown", "body_html", "created_at")
                    .values(
                        SQLBind(UUID()), SQLBind(slug), SQLBind(locale.rawValue), SQLBind(version + 1),
                        SQLBind(title), SQLBind(body), SQLBind(MarkdownCooker().cook(body)), SQLBind(now())
                    )
                    .run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("message_reports").delete()
        try await (database as! any SQLDatabase).raw("DELETE FROM review_items WHERE message_id IS NOT NULL").run()
        try await database.schema("notifications").deleteField("conversation_id").update()
        try await database.schema("review_items").deleteField("message_id").update()
        try await database.schema("members").deleteField("message_policy").update()
        for table in ["message_blocks", "messages", "conversation_members", "conversations"] {
            try await database.schema(table).delete()
        }
    }
}
