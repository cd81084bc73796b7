import Fluent

/// The profile introduction, and what the first-login journey has shown (so nothing nags twice).
struct M020_AddMemberProfile: AsyncMigration {
    var name: String { "M020_AddMemberProfile" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema("members").field("introduction", .string).update()
        try await database.schema("members").field("intro_prompted_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("members").deleteField("intro_prompted_at").update()
        try await database.schema("members").deleteField("introduction").update()
    }
}
