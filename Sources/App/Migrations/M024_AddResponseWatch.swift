import Fluent
import Foundation
import SQLKit
import TextRules

/// The unanswered-post safety net and care for those who respond: the site's settings (set by
/// admins), the member's choice to be shown topics still waiting for a reply, when the member
/// was last given a care note, the indexes the waiting list reads, and the manual's page on
/// looking after yourself (version 1, from Resources/Pages/<locale>/self-care.md).
struct M024_AddResponseWatch: AsyncMigration {
    var name: String { "M024_AddResponseWatch" }
    let pagesDirectory: String
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // One row per setting; a setting without a row has its default (in `SiteSettings`).
        try await database.schema("site_settings")
            .id()
            .field("name", .string, .required)
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .uuid)
            .unique(on: "name", name: "uq_site_settings_name")
            .create()

        // On the member row, like a break: the home page reads them with the session, no query.
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema("members").field("responder_since", .datetime).update()
        try await database.schema("members").field("care_note_at", .datetime).update()
        try await database.schema("members").field("care_note_closed_at", .datetime).update()

        // The waiting list walks the topics of the last weeks in order of age; "a member's
        // first topic" looks for an earlier topic by the same author.
        try await sql.create(index: "ix_topics_created").on("topics").column("created_at").column("id").run()
        try await sql.create(index: "ix_topics_author").on("topics").column("author_id").column("id").run()

        for locale in AppLocale.allCases {
            let exists =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM page_versions WHERE slug = 'self-care' AND locale = \(bind: locale.rawValue)
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            guard exists == 0 else { continue }
            let (title, body) = try PageFile(directory: pagesDirectory, slug: "self-care", locale: locale.rawValue).read()
            try await sql.insert(into: "page_versions")
                .columns("id", "slug", "locale", "version", "title", "body_markdown", "body_html", "created_at")
                .values(
                    SQLBind(UUID()), SQLBind("self-care"), SQLBind(locale.rawValue), SQLBind(1),
                    SQLBind(title), SQLBind(body), SQLBind(MarkdownCooker().cook(body)), SQLBind(now())
                )
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.delete(from: "page_versions").where("slug", .equal, "self-care").run()
        try await sql.drop(index: "ix_topics_author").run()
        try await sql.drop(index: "ix_topics_created").run()
        for column in ["care_note_closed_at", "care_note_at", "responder_since"] {
            try await database.schema("members").deleteField(.string(column)).update()
        }
        try await database.schema("site_settings").delete()
    }
}
