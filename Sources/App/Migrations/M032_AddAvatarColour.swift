import Fluent

/// The member's avatar colour: nil takes the colour derived from the pseudonym, "none" shows
/// no picture, any other value is one of `AvatarColour`'s names.
struct M032_AddAvatarColour: AsyncMigration {
    var name: String { "M032_AddAvatarColour" }

    func prepare(on database: any Database) async throws {
        try await database.schema("members").field("avatar_colour", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("members").deleteField("avatar_colour").update()
    }
}
