import Fluent

/// Versioned page texts, one row per version and language.
struct M004_CreatePageVersions: AsyncMigration {
    var name: String { "M004_CreatePageVersions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("page_versions")
            .id()
            .field("slug", .string, .required)
            .field("locale", .string, .required)
            .field("version", .int, .required)
            .field("title", .string, .required)
            .field("body_markdown", .string, .required)
            .field("body_html", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "slug", "locale", "version", name: "uq_page_versions_slug_locale_version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("page_versions").delete()
    }
}
