import Fluent

/// Accounts, with unique email and case-insensitive unique pseudonym.
struct M001_CreateMembers: AsyncMigration {
    var name: String { "M001_CreateMembers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("members")
            .id()
            .field("email", .string, .required)
            .field("email_verified_at", .datetime)
            .field("password_hash", .string, .required)
            .field("pseudonym", .string, .required)
            .field("pseudonym_key", .string, .required)
            .field("real_name", .string)
            .field("role", .string, .required)
            .field("locale", .string)
            .field("time_zone", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email", name: "uq_members_email")
            .unique(on: "pseudonym_key", name: "uq_members_pseudonym_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("members").delete()
    }
}
