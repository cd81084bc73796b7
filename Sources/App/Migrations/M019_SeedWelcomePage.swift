import Fluent
import Foundation
import SQLKit
import TextRules

/// Seeds version 1 of the welcome template (Resources/Pages/<locale>/welcome.md), once.
struct M019_SeedWelcomePage: AsyncMigration {
    var name: String { "M019_SeedWelcomePage" }
    let pagesDirectory: String
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for locale in AppLocale.allCases {
            let exists =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM page_versions WHERE slug = 'welcome' AND locale = \(bind: locale.rawValue)
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            guard exists == 0 else { continue }
            let (title, body) = try PageFile(directory: pagesDirectory, slug: "welcome", locale: locale.rawValue).read()
            try await sql.insert(into: "page_versions")
                .columns("id", "slug", "locale", "version", "title", "body_markdown", "body_html", "created_at")
                .values(
                    SQLBind(UUID()), SQLBind("welcome"), SQLBind(locale.rawValue), SQLBind(1),
                    SQLBind(title), SQLBind(body), SQLBind(MarkdownCooker().cook(body)), SQLBind(now())
                )
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).delete(from: "page_versions").where("slug", .equal, "welcome").run()
    }
}
