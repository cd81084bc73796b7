import Fluent
import Foundation
import SQLKit
import TextRules

/// Trigger rules (seeded with the default lexicon from Resources/Triggers/default.csv) and
/// crisis alerts. Uses SQLKit rather than models so later model changes cannot break it.
struct M018_CreateSafety: AsyncMigration {
    var name: String { "M018_CreateSafety" }
    let lexiconFile: String
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("trigger_rules")
            .id()
            .field("pattern", .string, .required)
            .field("language", .string, .required)
            .field("kind", .string, .required)
            .field("actions", .string, .required)
            .field("note", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()

        try await database.schema("alerts")
            .id()
            .field("post_id", .int, .references("posts", "id", onDelete: .setNull))
            .field("member_id", .uuid, .references("members", "id", onDelete: .setNull))
            .field("rule_pattern", .string, .required)
            .field("excerpt", .string, .required)
            .field("created_at", .datetime, .required)
            .field("acknowledged_by", .uuid)
            .field("acknowledged_at", .datetime)
            .field("action_note", .string)
            .field("escalated_at", .datetime)
            .create()
        try await sql.create(index: "ix_alerts_open").on("alerts").column("acknowledged_at").column("created_at").run()

        let now = now()
        for entry in try DefaultLexicon.load(from: lexiconFile) {
            try await sql.insert(into: "trigger_rules")
                .columns("id", "pattern", "language", "kind", "actions", "note", "active", "created_at", "updated_at")
                .values(
                    SQLBind(UUID()), SQLBind(entry.pattern), SQLBind(entry.language), SQLBind(entry.kind),
                    SQLBind(entry.actions.joined(separator: " ")), SQLBind(entry.note), SQLBind(true), SQLBind(now), SQLBind(now)
                )
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("alerts").delete()
        try await database.schema("trigger_rules").delete()
    }
}
