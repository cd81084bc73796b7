import Fluent
import Vapor

/// Reads the current versions of pages.
enum PageVersions {
    /// The newest version of a page in a language.
    static func current(_ slug: PageSlug, locale: AppLocale, on db: any Database) async throws -> PageVersion? {
        try await PageVersion.query(on: db)
            .filter(\.$slug == slug.rawValue)
            .filter(\.$locale == locale)
            .sort(\.$version, .descending)
            .first()
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
