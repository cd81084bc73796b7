import Fluent

/// Which version of terms, privacy policy and rules each member accepted.
struct M005_CreatePolicyAcceptances: AsyncMigration {
    var name: String { "M005_CreatePolicyAcceptances" }

    func prepare(on database: any Database) async throws {
        try await database.schema("policy_acceptances")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("page_slug", .string, .required)
            .field("page_version", .int, .required)
            .field("accepted_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("policy_acceptances").delete()
    }
}
