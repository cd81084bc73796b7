import Fluent
import SQLKit

/// Shifts and their logbook, the review queue, flags, moderation actions, the library of
/// sources, moderator notes under posts, screening times on posts, member restrictions,
/// and an audit log that the database itself keeps append-only.
struct M016_CreateModeration: AsyncMigration {
    var name: String { "M016_CreateModeration" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("shifts")
            .id()
            .field("moderator_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("started_at", .datetime, .required)
            .field("handover_acknowledged_at", .datetime)
            .field("ended_at", .datetime)
            .create()
        try await sql.create(index: "ix_shifts_moderator").on("shifts").column("moderator_id").column("started_at").run()

        try await database.schema("logbook_entries")
            .id()
            .field("shift_id", .uuid, .required, .references("shifts", "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("atmosphere", .int, .required)
            .field("atmosphere_note", .string, .required)
            .field("peculiarities", .string, .required)
            .field("watch_members", .string, .required)
            .field("open_items", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_logbook_created").on("logbook_entries").column("created_at").run()

        try await database.schema("review_items")
            .id()
            .field("kind", .string, .required)
            .field("priority", .int, .required)
            .field("post_id", .int, .references("posts", "id", onDelete: .cascade))
            .field("member_id", .uuid, .references("members", "id", onDelete: .cascade))
            .field("summary", .string, .required)
            .field("created_at", .datetime, .required)
            .field("claimed_by", .uuid)
            .field("claimed_at", .datetime)
            .field("resolved_by", .uuid)
            .field("resolved_at", .datetime)
            .field("outcome", .string)
            .field("outcome_reason", .string)
            .create()
        // The open queue, most urgent first: (resolved_at IS NULL) rows by priority and age.
        try await sql.create(index: "ix_review_items_open").on("review_items").column("resolved_at").column("priority").column("created_at").run()
        try await sql.create(index: "ix_review_items_post").on("review_items").column("post_id").run()

        try await database.schema("flags")
            .id()
            .field("post_id", .int, .required, .references("posts", "id", onDelete: .cascade))
            .field("reporter_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("reason", .string, .required)
            .field("note", .string, .required)
            .field("created_at", .datetime, .required)
            .field("review_item_id", .uuid, .required, .references("review_items", "id", onDelete: .cascade))
            .unique(on: "post_id", "reporter_id", name: "uq_flags_post_reporter")
            .create()
        try await sql.create(index: "ix_flags_reporter").on("flags").column("reporter_id").column("created_at").run()
        try await sql.create(index: "ix_flags_item").on("flags").column("review_item_id").run()

        try await database.schema("moderation_actions")
            .id()
            .field("moderator_id", .uuid, .references("members", "id", onDelete: .setNull))
            .field("kind", .string, .required)
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("post_id", .int, .references("posts", "id", onDelete: .setNull))
            .field("reason", .string, .required)
            .field("until", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_moderation_actions_member").on("moderation_actions").column("member_id").column("created_at").run()

        try await database.schema("sources")
            .id()
            .field("title", .string, .required)
            .field("url", .string, .required)
            .field("language", .string, .required)
            .field("description", .string, .required)
            .field("archived", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("moderator_notes")
            .id()
            .field("post_id", .int, .required, .references("posts", "id", onDelete: .cascade))
            .field("author_id", .uuid, .references("members", "id", onDelete: .setNull))
            .field("body", .string, .required)
            .field("body_html", .string, .required)
            .field("source_ids", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_moderator_notes_post").on("moderator_notes").column("post_id").run()

        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema("posts").field("screened_at", .datetime).update()
        try await database.schema("posts").field("screened_by", .uuid).update()
        try await database.schema("posts").field("moderation_reason", .string).update()
        try await database.schema("posts").field("moderator_edited_at", .datetime).update()
        try await database.schema("members").field("silenced_until", .datetime).update()
        try await database.schema("members").field("suspended_until", .datetime).update()
        try await database.schema("audit_events").field("target", .string).update()
        try await database.schema("audit_events").field("reason", .string).update()
        try await database.schema("audit_events").field("before_text", .string).update()
        try await database.schema("audit_events").field("after_text", .string).update()
        // The screening-coverage figure reads this index alone.
        try await sql.create(index: "ix_posts_created_screened").on("posts").column("created_at").column("screened_at").run()
        try await sql.create(index: "ix_members_created").on("members").column("created_at").run()
        try await sql.create(index: "ix_audit_events_created").on("audit_events").column("created_at").run()

        // The audit log cannot be changed through any page or command, nor by a bug: the
        // database refuses updates and deletes of its rows.
        switch DatabaseDialect(database) {
        case .sqlite:
            for event in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END
                    """
                ).run()
            }
        case .postgres:
            try await sql.raw(
                """
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        switch DatabaseDialect(database) {
        case .sqlite:
            try await sql.raw("DROP TRIGGER IF EXISTS audit_events_no_update").run()
            try await sql.raw("DROP TRIGGER IF EXISTS audit_events_no_delete").run()
        case .postgres:
            try await sql.raw("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_events_append_only()").run()
        }
        for (table, column) in [
            ("audit_events", "after_text"), ("audit_events", "before_text"), ("audit_events", "reason"),
            ("audit_events", "target"), ("members", "suspended_until"), ("members", "silenced_until"),
            ("posts", "moderator_edited_at"), ("posts", "moderation_reason"), ("posts", "screened_by"), ("posts", "screened_at"),
        ] {
            try await database.schema(table).deleteField(.string(column)).update()
        }
        for table in ["moderator_notes", "sources", "moderation_actions", "flags", "review_items", "logbook_entries", "shifts"] {
            try await database.schema(table).delete()
        }
    }
}
