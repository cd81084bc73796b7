import Fluent
import SQLKit

/// What news and blogs share: the internal categories that hold their topics.
enum CommunityQueries {
    /// The id of an internal category (seeded by M026; its absence is a broken database).
    static func internalCategoryID(_ category: InternalCategory, on db: any Database) async throws -> Int {
        guard
            let row = try await (db as! any SQLDatabase).raw(
                """
                SELECT id FROM categories WHERE slug = \(bind: category.rawValue) AND internal = \(bind: true)
                """
            ).first()
        else { throw AppError.notFound }
        return try row.decode(column: "id", as: Int.self)
    }
}

/// A short plain-text opening of a Markdown text, for lists: Markdown marks dropped, cut at a
/// word before `limit` characters.
enum TextExcerpt {
    static func of(_ markdown: String, limit: Int = 220) -> String {
        var text = ""
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: true) {
            var plain = line.drop { "#>*-+ ".contains($0) }
            if plain.hasPrefix("[") == false { plain = Substring(plain) }
            text += (text.isEmpty ? "" : " ") + plain.filter { !"*_`#>[]".contains($0) }
            if text.count > limit { break }
        }
        guard text.count > limit else { return text }
        let cut = text.prefix(limit)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }
}
