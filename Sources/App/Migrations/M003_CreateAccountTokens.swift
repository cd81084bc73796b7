import Fluent

/// Single-use links: verify email, reset password, set up the first administrator.
struct M003_CreateAccountTokens: AsyncMigration {
    var name: String { "M003_CreateAccountTokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("account_tokens")
            .id()
            .field("member_id", .uuid, .references("members", "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash", name: "uq_account_tokens_token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("account_tokens").delete()
    }
}
