import Fluent
import SQLKit

/// Categories, topics, posts, revisions, read states, reactions and participation events.
struct M010_CreateForum: AsyncMigration {
    var name: String { "M010_CreateForum" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("categories")
            .field("id", .int, .identifier(auto: true))
            .field("slug", .string, .required)
            .field("position", .int, .required)
            .field("name_nl", .string, .required)
            .field("name_en", .string, .required)
            .field("description_nl", .string, .required)
            .field("description_en", .string, .required)
            .field("archived", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "slug", name: "uq_categories_slug")
            .create()

        try await database.schema("topics")
            .field("id", .int, .identifier(auto: true))
            .field("category_id", .int, .required, .references("categories", "id"))
            .field("author_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_activity_at", .datetime, .required)
            .field("last_post_number", .int, .required)
            .field("reply_count", .int, .required)
            .field("pinned", .bool, .required)
            .field("closed", .bool, .required)
            .field("visible", .bool, .required)
            .create()
        // Keyset pagination: latest activity first, per category and overall.
        try await sql.create(index: "ix_topics_activity").on("topics").column("last_activity_at").column("id").run()
        try await sql.create(index: "ix_topics_category_activity").on("topics").column("category_id").column("last_activity_at").column("id").run()

        try await database.schema("posts")
            .field("id", .int, .identifier(auto: true))
            .field("topic_id", .int, .required, .references("topics", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("author_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("body_markdown", .string, .required)
            .field("body_html", .string, .required)
            .field("created_at", .datetime, .required)
            .field("edited_at", .datetime)
            .field("screening", .string, .required)
            .unique(on: "topic_id", "number", name: "uq_posts_topic_number")
            .create()
        try await sql.create(index: "ix_posts_screening").on("posts").column("screening").column("id").run()
        try await sql.create(index: "ix_posts_author").on("posts").column("author_id").run()

        try await database.schema("post_revisions")
            .id()
            .field("post_id", .int, .required, .references("posts", "id", onDelete: .cascade))
            .field("body_markdown", .string, .required)
            .field("body_html", .string, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("read_states")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("topic_id", .int, .required, .references("topics", "id", onDelete: .cascade))
            .field("last_read_post_number", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "member_id", "topic_id", name: "uq_read_states_member_topic")
            .create()
        // "Read by N": counts read states of one topic at or past a post number.
        try await sql.create(index: "ix_read_states_topic_number").on("read_states").column("topic_id").column("last_read_post_number").run()

        try await database.schema("reactions")
            .id()
            .field("post_id", .int, .required, .references("posts", "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "post_id", "member_id", "kind", name: "uq_reactions_post_member_kind")
            .create()

        try await database.schema("participation_events")
            .id()
            .field("member_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("topic_id", .int)
            .field("post_id", .int)
            .field("other_member_id", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_participation_member").on("participation_events").column("member_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["participation_events", "reactions", "read_states", "post_revisions", "posts", "topics", "categories"] {
            try await database.schema(table).delete()
        }
    }
}
