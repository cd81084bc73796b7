import Fluent

/// The full-text index: FTS5 on SQLite, tsvector with GIN on PostgreSQL.
struct M013_CreateSearchIndex: AsyncMigration {
    var name: String { "M013_CreateSearchIndex" }

    func prepare(on database: any Database) async throws {
        try await SearchIndex.create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await SearchIndex.drop(on: database)
    }
}
