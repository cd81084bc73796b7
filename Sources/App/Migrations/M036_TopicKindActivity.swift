import Fluent
import SQLKit

/// Topic lists and unread counts filter on the topic's kind (forum, news, blog, journal) since
/// the community issue; with only (kind, created_at) to go on, SQLite sorted every forum topic for
/// each home page (6 ms at 5,000 topics). The first index reads the latest forum topics in order;
/// the second counts recent ones per category from the index alone; the third lets a theme's
/// page read its pinned topics, then the rest, in order, instead of scanning the whole theme.
struct M036_TopicKindActivity: AsyncMigration {
    var name: String { "M036_TopicKindActivity" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "ix_topics_kind_activity").on("topics").column("kind").column("last_activity_at").column("id").run()
        try await sql.create(index: "ix_topics_kind_activity_cover").on("topics")
            .column("kind").column("last_activity_at").column("visible").column("category_id").column("last_post_number").column("id").run()
        try await sql.create(index: "ix_topics_category_pinned_activity").on("topics")
            .column("category_id").column("pinned").column("last_activity_at").column("id").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "ix_topics_category_pinned_activity").run()
        try await sql.drop(index: "ix_topics_kind_activity_cover").run()
        try await sql.drop(index: "ix_topics_kind_activity").run()
    }
}
