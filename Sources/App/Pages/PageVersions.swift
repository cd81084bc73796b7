import Fluent
import SQLKit
import Vapor

/// Reads the current versions of pages.
enum PageVersions {
    /// The newest version of a page in a language, read without model reflection (the
    /// visitor home runs this on every request).
    static func current(_ slug: PageSlug, locale: AppLocale, on db: any Database) async throws -> PageVersion? {
        guard
            let row = try await (db as! any SQLDatabase).raw(
                """
                SELECT id, version, title, body_markdown, body_html, created_at FROM page_versions
                WHERE slug = \(bind: slug.rawValue) AND locale = \(bind: locale.rawValue) ORDER BY version DESC LIMIT 1
                """
            ).first()
        else { return nil }
        let page = PageVersion()
        page.id = try row.decode(column: "id", as: UUID.self)
        page.slug = slug.rawValue
        page.locale = locale
        page.version = try row.decode(column: "version", as: Int.self)
        page.title = try row.decode(column: "title", as: String.self)
        page.bodyMarkdown = try row.decode(column: "body_markdown", as: String.self)
        page.bodyHTML = try row.decode(column: "body_html", as: String.self)
        page.createdAt = try row.decode(column: "created_at", as: Date.self)
        page.$id.exists = true
        return page
    }

    /// The newest version number of each page, in one query.
    static func currentVersions(of slugs: [PageSlug], on db: any Database) async throws -> [PageSlug: Int] {
        let rows = try await PageVersion.query(on: db)
            .filter(\.$slug ~~ slugs.map(\.rawValue))
            .field(\.$slug).field(\.$version)
            .all()
        var result = [PageSlug: Int]()
        for row in rows {
            guard let slug = PageSlug(rawValue: row.slug) else { continue }
            result[slug] = max(result[slug] ?? 0, row.version)
        }
        return result
    }
}
