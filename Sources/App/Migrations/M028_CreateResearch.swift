import Fluent
import Foundation
import SQLKit
import TextRules

/// The research side's first part: studies, and each member's answer to the request for
/// consent (per version of the information letter, with its time, and a withdrawal). The
/// information letter is a page (`research-letter`, version 1 from Resources/Pages/<locale>/),
/// edited and versioned like the terms, but never a condition of membership.
struct M028_CreateResearch: AsyncMigration {
    var name: String { "M028_CreateResearch" }
    let pagesDirectory: String
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // Several studies may exist; one runs at a time (the one whose dates hold today).
        try await database.schema("studies")
            .id()
            .field("name", .string, .required)
            .field("description_nl", .string, .required)
            .field("description_en", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("created_by", .uuid, .references("members", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .create()
        try await sql.create(index: "ix_studies_dates").on("studies").column("starts_at").column("ends_at").run()

        // One row per member and study: the latest answer. Every answer and withdrawal is also
        // in the audit log, so the history is kept where it cannot be edited.
        try await database.schema("research_consents")
            .id()
            .field("study_id", .uuid, .required, .references("studies", "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("answer", .string, .required)
            .field("letter_version", .int, .required)
            .field("emails_allowed", .bool, .required)
            .field("answered_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .unique(on: "study_id", "member_id", name: "uq_research_consents_study_member")
            .create()
        try await sql.create(index: "ix_research_consents_member").on("research_consents").column("member_id").run()

        for locale in AppLocale.allCases {
            let exists =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM page_versions WHERE slug = 'research-letter' AND locale = \(bind: locale.rawValue)
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            guard exists == 0 else { continue }
            let (title, body) = try PageFile(directory: pagesDirectory, slug: "research-letter", locale: locale.rawValue).read()
            try await sql.insert(into: "page_versions")
                .columns("id", "slug", "locale", "version", "title", "body_markdown", "body_html", "created_at")
                .values(
                    SQLBind(UUID()), SQLBind("research-letter"), SQLBind(locale.rawValue), SQLBind(1),
                    SQLBind(title), SQLBind(body), SQLBind(MarkdownCooker().cook(body)), SQLBind(now())
                )
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).delete(from: "page_versions").where("slug", .equal, "research-letter").run()
        try await database.schema("research_consents").delete()
        try await database.schema("studies").delete()
    }
}
