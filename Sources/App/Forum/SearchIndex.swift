import Fluent
import SQLKit
import TextRules
import Vapor

/// A post found by search, with a highlighted snippet that is safe to show as HTML.
struct SearchHit: Sendable {
    let postID: Int
    let topicID: Int
    let postNumber: Int
    let topicTitle: String
    let categoryID: Int
    let snippetHTML: String
    /// The forum, a news item or a blog entry.
    var kind: TopicKind = .forum
}

/// Where a search looks: everywhere, or in one part of the community.
enum SearchScope: String, CaseIterable, Sendable {
    case everywhere = ""
    case forum, news, blogs

    /// The topic kinds it covers (a private journal never shows in search: its posts are not indexed).
    var kinds: [TopicKind]? {
        switch self {
        case .everywhere: nil
        case .forum: [.forum]
        case .news: [.news]
        case .blogs: [.blog]
        }
    }
}

/// Full-text search: SQLite FTS5 (porter stemming, prefixes) or PostgreSQL text search
/// (Dutch and English stemming). Both sit behind this one type.
struct SearchIndex: Sendable {
    let database: any Database

    /// Markers that cannot occur in typed text; replaced by <mark> after escaping.
    private static let open = "\u{1}", close = "\u{2}"

    var dialect: DatabaseDialect { DatabaseDialect(database) }
    private var sql: any SQLDatabase { database as! any SQLDatabase }

    /// Creates the index structures (called by a migration).
    static func create(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        switch DatabaseDialect(database) {
        case .sqlite:
            try await sql.raw("CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')").run()
        case .postgres:
            try await sql.raw(
                "CREATE TABLE post_search (post_id BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE, title TEXT NOT NULL, body TEXT NOT NULL, document TSVECTOR NOT NULL)"
            ).run()
            try await sql.raw("CREATE INDEX ix_post_search_document ON post_search USING GIN (document)").run()
        }
    }

    static func drop(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE IF EXISTS post_search").run()
    }

    /// Adds or replaces a post's entry. `title` is the topic title for a topic's first post.
    func index(postID: Int, title: String, body: String) async throws {
        switch dialect {
        case .sqlite:
            try await sql.raw("DELETE FROM post_search WHERE rowid = \(bind: postID)").run()
            try await sql.raw("INSERT INTO post_search (rowid, title, body) VALUES (\(bind: postID), \(bind: title), \(bind: body))").run()
        case .postgres:
            try await sql.raw(
                """
                INSERT INTO post_search (post_id, title, body, document) VALUES (\(bind: postID), \(bind: title), \(bind: body),
                  setweight(to_tsvector('dutch', \(bind: title)), 'A') || setweight(to_tsvector('english', \(bind: title)), 'A')
                  || to_tsvector('dutch', \(bind: body)) || to_tsvector('english', \(bind: body)))
                ON CONFLICT (post_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, document = EXCLUDED.document
                """
            ).run()
        }
    }

    /// Removes a post from the index (hidden or removed posts never appear).
    func remove(postID: Int) async throws {
        switch dialect {
        case .sqlite: try await sql.raw("DELETE FROM post_search WHERE rowid = \(bind: postID)").run()
        case .postgres: try await sql.raw("DELETE FROM post_search WHERE post_id = \(bind: postID)").run()
        }
    }

    /// Ranked hits among visible posts, optionally in one category.
    func search(_ query: String, categoryID: Int?, scope: SearchScope = .everywhere, limit: Int = 30) async throws -> [SearchHit] {
        let words = Self.words(in: query)
        guard !words.isEmpty else { return [] }
        var category = categoryID.map { SQLQueryString("AND t.category_id = \(bind: $0)") } ?? SQLQueryString("")
        if let kinds = scope.kinds { category = "\(category) AND t.kind IN (\(binds: kinds.map(\.rawValue)))" }
        let rows: [any SQLRow]
        switch dialect {
        case .sqlite:
            // Each word quoted and prefix-matched: user input never reaches FTS5 as syntax.
            let match = words.map { "\"\($0)\"*" }.joined(separator: " ")
            rows = try await sql.raw(
                """
                SELECT p.id AS post_id, p.topic_id, p.number, t.title AS topic_title, t.category_id, t.kind,
                       snippet(post_search, 1, \(bind: Self.open), \(bind: Self.close), '…', 24) AS snippet
                FROM post_search JOIN posts p ON p.id = post_search.rowid JOIN topics t ON t.id = p.topic_id
                JOIN members a ON a.id = p.author_id
                WHERE post_search MATCH \(bind: match) AND \(Guardian.isFindableSQL(post: "p", topic: "t", author: "a")) \(category)
                ORDER BY bm25(post_search, 5.0, 1.0) LIMIT \(bind: limit)
                """
            ).all()
        case .postgres:
            // Words are letters and digits only, so this tsquery text is always valid syntax;
            // each word is stemmed in both languages and prefix-matched.
            let text = words.map { "\($0):*" }.joined(separator: " & ")
            let options = "StartSel=\(Self.open), StopSel=\(Self.close), MaxWords=30, MinWords=10"
            rows = try await sql.raw(
                """
                WITH q AS (SELECT to_tsquery('dutch', \(bind: text)) AS nl, to_tsquery('english', \(bind: text)) AS en)
                SELECT p.id AS post_id, p.topic_id, p.number, t.title AS topic_title, t.category_id, t.kind,
                       CASE WHEN s.document @@ q.en THEN ts_headline('english', s.body, q.en, \(bind: options))
                            ELSE ts_headline('dutch', s.body, q.nl, \(bind: options)) END AS snippet
                FROM post_search s CROSS JOIN q JOIN posts p ON p.id = s.post_id JOIN topics t ON t.id = p.topic_id
                JOIN members a ON a.id = p.author_id
                WHERE (s.document @@ q.nl OR s.document @@ q.en) AND \(Guardian.isFindableSQL(post: "p", topic: "t", author: "a")) \(category)
                ORDER BY ts_rank(s.document, q.nl || q.en) DESC LIMIT \(bind: limit)
                """
            ).all()
        }
        return try rows.map { row in
            SearchHit(
                postID: try row.decode(column: "post_id", as: Int.self),
                topicID: try row.decode(column: "topic_id", as: Int.self),
                postNumber: try row.decode(column: "number", as: Int.self),
                topicTitle: try row.decode(column: "topic_title", as: String.self),
                categoryID: try row.decode(column: "category_id", as: Int.self),
                snippetHTML: Self.highlight(try row.decode(column: "snippet", as: String.self)),
                kind: try row.decode(column: "kind", as: TopicKind.self))
        }
    }

    /// The words of a query: letters and digits only, at most eight.
    static func words(in query: String) -> [String] {
        query.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0.isNumber) })
            .map(String.init)
            .filter { !$0.isEmpty }
            .prefix(8)
            .map { $0 }
    }

    /// Escapes the snippet, then turns the markers into <mark>.
    static func highlight(_ snippet: String) -> String {
        HTMLEscaping.text(snippet)
            .replacingOccurrences(of: open, with: "<mark>")
            .replacingOccurrences(of: close, with: "</mark>")
    }
}
