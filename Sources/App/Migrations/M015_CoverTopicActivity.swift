import Fluent
import SQLKit

/// A covering index for counting recent topics per category (unread counts, "new since your
/// last visit"): the counts read the index alone instead of looking up each topic row.
struct M015_CoverTopicActivity: AsyncMigration {
    var name: String { "M015_CoverTopicActivity" }

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "ix_topics_activity_cover").on("topics")
            .column("last_activity_at").column("visible").column("category_id").column("last_post_number").column("id").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "ix_topics_activity_cover").run()
    }
}
