import Fluent
import Foundation
import SQLKit
import TextRules

/// The rule language's exceptions, the evaluation set the rules are measured on, and the
/// moderators' feedback on alerts that should or should not have been. Seeds the crisis rules
/// written in the language (Resources/Triggers/crisis-*.csv: a pattern already present gets
/// the file's exceptions and note) and the evaluation sentences (Resources/Triggers/evaluation).
struct M025_AddTriggerLanguage: AsyncMigration {
    var name: String { "M025_AddTriggerLanguage" }
    let triggersDirectory: String
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("trigger_rules").field("exceptions", .string, .required, .sql(.default(""))).update()

        try await database.schema("trigger_evaluation")
            .id()
            .field("language", .string, .required)
            .field("label", .string, .required)
            .field("topic", .string, .required)
            .field("text", .string, .required)
            .field("origin", .string, .required)
            .field("added_by", .uuid, .references("members", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("trigger_feedback")
            .id()
            .field("post_id", .int, .references("posts", "id", onDelete: .setNull))
            .field("kind", .string, .required)
            .field("text", .string)
            .field("language", .string, .required)
            .field("reported_by", .uuid, .references("members", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("state", .string, .required)
            .field("handled_by", .uuid, .references("members", "id", onDelete: .setNull))
            .field("handled_at", .datetime)
            .create()
        try await sql.create(index: "ix_trigger_feedback_state").on("trigger_feedback").column("state").column("created_at").run()

        // Inserted in batches: every test database runs this, on both databases.
        let now = now()
        let files = try FileManager.default.contentsOfDirectory(atPath: triggersDirectory)
            .filter { $0.hasPrefix("crisis-") && $0.hasSuffix(".csv") }.sorted()
        var existing = [String: UUID]()
        for row in try await sql.raw("SELECT id, pattern FROM trigger_rules").all() {
            existing[try row.decode(column: "pattern", as: String.self)] = try row.decode(column: "id", as: UUID.self)
        }
        var fresh: [[any Encodable & Sendable]] = []
        for file in files {
            for entry in try DefaultLexicon.load(from: "\(triggersDirectory)/\(file)") {
                let exceptions = entry.exceptions.joined(separator: "\n")
                if let id = existing[entry.pattern] {
                    try await sql.update("trigger_rules")
                        .set("exceptions", to: exceptions).set("note", to: entry.note).set("updated_at", to: now)
                        .where("id", .equal, id).run()
                    continue
                }
                existing[entry.pattern] = UUID()
                fresh.append([
                    existing[entry.pattern]!, entry.pattern, entry.language, entry.kind, entry.actions.joined(separator: " "), entry.note,
                    exceptions, entry.active, now, now,
                ])
            }
        }
        try await insert(
            fresh, into: "trigger_rules",
            columns: ["id", "pattern", "language", "kind", "actions", "note", "exceptions", "active", "created_at", "updated_at"], on: sql)
        let evaluation = "\(triggersDirectory)/evaluation"
        if FileManager.default.fileExists(atPath: evaluation) {
            let rows: [[any Encodable & Sendable]] = try EvaluationSet.load(directory: evaluation).map {
                [UUID(), $0.language, $0.label.rawValue, $0.topic, $0.text, "repository", now]
            }
            try await insert(
                rows, into: "trigger_evaluation", columns: ["id", "language", "label", "topic", "text", "origin", "created_at"], on: sql)
        }
    }

    /// Many rows in few statements (100 rows each: well under both databases' limit on binds).
    private func insert(_ rows: [[any Encodable & Sendable]], into table: String, columns: [String], on sql: any SQLDatabase) async throws {
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + 100)]
            var insert = sql.insert(into: table).columns(columns)
            for row in batch { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.run()
            start += 100
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "ix_trigger_feedback_state").run()
        try await database.schema("trigger_feedback").delete()
        try await database.schema("trigger_evaluation").delete()
        try await database.schema("trigger_rules").deleteField("exceptions").update()
    }
}
