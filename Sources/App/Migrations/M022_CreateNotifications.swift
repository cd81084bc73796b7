import Fluent
import SQLKit

/// Notifications, each member's choices about them (email per kind, quiet hours, budget),
/// watching and muting, breaks, and the unsubscribe link on outgoing mail.
struct M022_CreateNotifications: AsyncMigration {
    var name: String { "M022_CreateNotifications" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("notifications")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("topic_id", .int)
            .field("post_id", .int)
            .field("actor_id", .uuid)
            .field("group_key", .string)
            .field("count", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("read_at", .datetime)
            .field("email_state", .string, .required)
            .field("email_due_at", .datetime)
            .create()
        try await sql.create(index: "ix_notifications_member").on("notifications").column("member_id").column("read_at").column("updated_at").run()
        // One index serves both mail jobs: the digest job walks members in id order, one state at
        // a time; the mailer reads the few 'immediate' rows. (A second index on the state would
        // be one more to update for every notification mailed.)
        try await sql.create(index: "ix_notifications_email").on("notifications").column("email_state").column("member_id").column("email_due_at")
            .run()
        try await sql.create(index: "ix_notifications_group").on("notifications").column("member_id").column("group_key").run()

        try await database.schema("notification_preferences")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("email_replies", .string, .required)
            .field("email_mentions", .string, .required)
            .field("email_reactions", .string, .required)
            .field("email_moderator", .string, .required)
            .field("email_watching", .string, .required)
            .field("quiet_enabled", .bool, .required)
            .field("quiet_start", .int, .required)
            .field("quiet_end", .int, .required)
            .field("daily_budget", .int, .required)
            .field("budget_day", .string, .required)
            .field("budget_used", .int, .required)
            .field("unsubscribe_token", .string, .required)
            .unique(on: "member_id")
            .unique(on: "unsubscribe_token")
            .create()

        try await database.schema("topic_watches")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("topic_id", .int, .required, .references("topics", "id", onDelete: .cascade))
            .field("level", .string, .required)
            .unique(on: "member_id", "topic_id")
            .create()
        try await sql.create(index: "ix_topic_watches_topic").on("topic_watches").column("topic_id").column("level").run()
        try await database.schema("category_watches")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("category_id", .int, .required, .references("categories", "id", onDelete: .cascade))
            .field("level", .string, .required)
            .unique(on: "member_id", "category_id")
            .create()
        try await sql.create(index: "ix_category_watches_category").on("category_watches").column("category_id").column("level").run()
        try await database.schema("member_mutes")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("muted_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "member_id", "muted_id")
            .create()

        // A break is read on every request with the session, so it lives on the member row.
        try await database.schema("members").field("break_until", .datetime).update()
        try await database.schema("members").field("break_started_at", .datetime).update()
        try await database.schema("outbox_mails").field("unsubscribe_url", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox_mails").deleteField("unsubscribe_url").update()
        try await database.schema("members").deleteField("break_started_at").update()
        try await database.schema("members").deleteField("break_until").update()
        for table in ["member_mutes", "category_watches", "topic_watches", "notification_preferences", "notifications"] {
            try await database.schema(table).delete()
        }
    }
}
