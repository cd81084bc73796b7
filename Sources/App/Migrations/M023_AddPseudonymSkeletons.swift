import Fluent
import Foundation
import SQLKit
import TextRules

/// What each pseudonym looks like (its confusable skeleton), so nobody can take a look-alike
/// of another member's name or of one given up recently: "DemoModerаtor" with a Cyrillic а
/// is the same name as "DemoModerator".
struct M023_AddPseudonymSkeletons: AsyncMigration {
    var name: String { "M023_AddPseudonymSkeletons" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // Nullable: SQLite adds a NOT NULL column only with a default, and bulk tools may leave it out.
        try await database.schema("members").field("pseudonym_skeleton", .string).update()
        try await database.schema("reserved_pseudonyms").field("pseudonym_skeleton", .string).update()

        // Existing members, oldest first: if two already look alike, the first keeps the
        // skeleton and the later one gets a private variant, so the unique index can be built
        // and neither loses their name.
        let members = try await sql.raw("SELECT id, pseudonym, pseudonym_key FROM members ORDER BY created_at, id").all()
        var taken = Set<String>()
        for row in members {
            let id = try row.decode(column: "id", as: UUID.self)
            let key = try row.decode(column: "pseudonym_key", as: String.self)
            // Erased members gave their name up: their skeleton is their (unique) erased key.
            var skeleton = key.hasPrefix("~erased-") ? key : PseudonymRules.skeleton(of: try row.decode(column: "pseudonym", as: String.self))
            if skeleton.isEmpty || !taken.insert(skeleton).inserted {
                skeleton += "~\(id.uuidString.lowercased())"
            }
            try await sql.update("members").set("pseudonym_skeleton", to: skeleton).where("id", .equal, id).run()
        }
        // Reservations keep only the folded name, which has the same skeleton.
        let reserved = try await sql.raw("SELECT id, pseudonym_key FROM reserved_pseudonyms").all()
        for row in reserved {
            let id = try row.decode(column: "id", as: UUID.self)
            let skeleton = PseudonymRules.skeleton(of: try row.decode(column: "pseudonym_key", as: String.self))
            try await sql.update("reserved_pseudonyms").set("pseudonym_skeleton", to: skeleton).where("id", .equal, id).run()
        }

        try await sql.create(index: "uq_members_pseudonym_skeleton").unique().on("members").column("pseudonym_skeleton").run()
        try await sql.create(index: "ix_reserved_pseudonyms_skeleton").on("reserved_pseudonyms").column("pseudonym_skeleton").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // SQLite drops a column only once no index uses it.
        try await sql.drop(index: "ix_reserved_pseudonyms_skeleton").run()
        try await sql.drop(index: "uq_members_pseudonym_skeleton").run()
        try await database.schema("reserved_pseudonyms").deleteField("pseudonym_skeleton").update()
        try await database.schema("members").deleteField("pseudonym_skeleton").update()
    }
}
