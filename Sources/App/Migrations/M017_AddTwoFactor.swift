import Fluent
import SQLKit

/// Two-factor sign-in for the team: a TOTP key per member (set once enabled), the last step
/// used (no code works twice), and single-use recovery codes stored as hashes.
struct M017_AddTwoFactor: AsyncMigration {
    var name: String { "M017_AddTwoFactor" }

    func prepare(on database: any Database) async throws {
        try await database.schema("members").field("totp_secret", .string).update()
        try await database.schema("members").field("totp_enabled_at", .datetime).update()
        try await database.schema("members").field("totp_last_counter", .int64).update()
        try await database.schema("recovery_codes")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_recovery_codes_member").on("recovery_codes").column("member_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("recovery_codes").delete()
        try await database.schema("members").deleteField("totp_last_counter").update()
        try await database.schema("members").deleteField("totp_enabled_at").update()
        try await database.schema("members").deleteField("totp_secret").update()
    }
}
