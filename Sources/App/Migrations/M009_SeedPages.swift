import Fluent
import Foundation
import SQLKit
import TextRules

/// Seeds version 1 of every page from Resources/Pages/<locale>/<slug>.md.
/// Uses SQLKit rather than models so later model changes cannot break it.
struct M009_SeedPages: AsyncMigration {
    var name: String { "M009_SeedPages" }
    let pagesDirectory: String
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let cooker = MarkdownCooker()
        // The pages that existed when this migration was released; later pages have their own.
        for slug in ["home", "terms", "privacy", "rules", "help", "manual"].compactMap(PageSlug.init(rawValue:)) {
            for locale in AppLocale.allCases {
                let file = PageFile(directory: pagesDirectory, slug: slug.rawValue, locale: locale.rawValue)
                let (title, body) = try file.read()
                try await sql.insert(into: "page_versions")
                    .columns("id", "slug", "locale", "version", "title", "body_markdown", "body_html", "created_at")
                    .values(
                        SQLBind(UUID()), SQLBind(slug.rawValue), SQLBind(locale.rawValue), SQLBind(1),
                        SQLBind(title), SQLBind(body), SQLBind(cooker.cook(body)), SQLBind(now())
                    )
                    .run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).delete(from: "page_versions").where("version", .equal, 1).run()
    }
}
