import Fluent

/// When a member deleted their own post, and what it was before: for 10 minutes they can undo
/// it exactly (a screened post comes back screened, an unscreened one still waits for screening).
struct M034_AddPostRemoval: AsyncMigration {
    var name: String { "M034_AddPostRemoval" }

    func prepare(on database: any Database) async throws {
        try await database.schema("posts").field("removed_at", .datetime).update()
        try await database.schema("posts").field("removed_from", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("posts").deleteField("removed_from").update()
        try await database.schema("posts").deleteField("removed_at").update()
    }
}
