import Fluent

/// The append-only audit log.
struct M008_CreateAuditEvents: AsyncMigration {
    var name: String { "M008_CreateAuditEvents" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .id()
            .field("actor_id", .uuid)
            .field("action", .string, .required)
            .field("subject_member_id", .uuid)
            .field("detail", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}
