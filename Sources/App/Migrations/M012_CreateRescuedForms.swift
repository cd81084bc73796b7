import Fluent

/// Text kept from a form sent after the session expired, until the member logs in again.
struct M012_CreateRescuedForms: AsyncMigration {
    var name: String { "M012_CreateRescuedForms" }

    func prepare(on database: any Database) async throws {
        try await database.schema("rescued_forms")
            .id()
            .field("token_hash", .string, .required)
            .field("return_path", .string, .required)
            .field("fields_json", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash", name: "uq_rescued_forms_token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rescued_forms").delete()
    }
}
