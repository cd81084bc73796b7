import Fluent

/// When a member was last seen, and when their previous visit was ("new since your last visit").
struct M014_AddMemberVisits: AsyncMigration {
    var name: String { "M014_AddMemberVisits" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema("members").field("last_seen_at", .datetime).update()
        try await database.schema("members").field("previous_visit_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("members").deleteField("previous_visit_at").update()
        try await database.schema("members").deleteField("last_seen_at").update()
    }
}
