import Fluent
import SQLKit

/// Logins; looked up by token hash on every request.
struct M002_CreateMemberSessions: AsyncMigration {
    var name: String { "M002_CreateMemberSessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("member_sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash", name: "uq_member_sessions_token_hash")
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_member_sessions_member").on("member_sessions").column("member_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("member_sessions").delete()
    }
}
