import Fluent

/// How long a node's claim on a data export lasts: a node that dies while building one leaves
/// it to be claimed again when the lease has run out, instead of "building" for ever.
struct M037_AddExportLease: AsyncMigration {
    var name: String { "M037_AddExportLease" }

    func prepare(on database: any Database) async throws {
        try await database.schema("data_exports").field("claimed_until", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("data_exports").deleteField("claimed_until").update()
    }
}
