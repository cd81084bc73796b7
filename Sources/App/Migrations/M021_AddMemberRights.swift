import Fluent
import SQLKit

/// What the member's own settings and data rights need: pseudonym and email changes, the
/// personal safety plan, data exports, and closing an account with a grace period.
struct M021_AddMemberRights: AsyncMigration {
    var name: String { "M021_AddMemberRights" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema("members").field("pseudonym_changed_at", .datetime).update()
        try await database.schema("members").field("pending_email", .string).update()
        try await database.schema("members").field("closed_at", .datetime).update()
        try await database.schema("members").field("leave_choice", .string).update()
        try await database.schema("members").field("erased_at", .datetime).update()
        try await sql.create(index: "ix_members_closed").on("members").column("closed_at").run()
        // The terms gate looks up a member's acceptances on every request.
        try await sql.create(index: "ix_policy_acceptances_member").on("policy_acceptances")
            .column("member_id").column("page_slug").column("page_version").run()

        // A pseudonym given up stays out of others' reach for a while, so nobody can pose as
        // the member people knew under it.
        try await database.schema("reserved_pseudonyms")
            .id()
            .field("pseudonym_key", .string, .required)
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("reserved_until", .datetime, .required)
            .unique(on: "pseudonym_key")
            .create()

        try await database.schema("safety_plans")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("warning_signs", .string, .required)
            .field("what_helps", .string, .required)
            .field("people", .string, .required)
            .field("professionals", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "member_id")
            .create()

        try await database.schema("data_exports")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("progress", .int, .required)
            .field("content", .data)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("expires_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_data_exports_status").on("data_exports").column("status").column("created_at").run()
        try await sql.create(index: "ix_data_exports_member").on("data_exports").column("member_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("data_exports").delete()
        try await database.schema("safety_plans").delete()
        try await database.schema("reserved_pseudonyms").delete()
        for column in ["erased_at", "leave_choice", "closed_at", "pending_email", "pseudonym_changed_at"] {
            try await database.schema("members").deleteField(.string(column)).update()
        }
    }
}
