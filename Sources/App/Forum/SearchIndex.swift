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

/// Where the next page of results starts: keyset on (rank, post id), both as the query
/// computes them, so a page never repeats or skips a hit.
struct SearchCursor: Sendable, Equatable {
    let rank: Double
    let postID: Int

    var token: String { "\(rank)_\(postID)" }

    init(rank: Double, postID: Int) {
        self.rank = rank
        self.postID = postID
    }

    init?(token: String?) {
        guard let token, let split = token.lastIndex(of: "_"), let rank = Double(token[..<split]), rank.isFinite,
            let postID = Int(token[token.index(after: split)...])
        else { return nil }
        self.rank = rank
        self.postID = postID
    }
}

/// A page of results, the next page's start, and how many there are ("more than" beyond a cap).
struct SearchResults: Sendable {
    var hits: [SearchHit] = []
    var next: SearchCursor? = nil
    var count = 0
    /// The count stopped at `SearchIndex.countCap`: say "more than".
    var countCapped = false
}

/// Full-text search over stemmed terms (`SearchText`): the same terms and the same matching on
/// SQLite (FTS5 over the terms, no tokenizer stemming) and PostgreSQL (tsvector of the terms
/// with the 'simple' configuration). The plain text is stored beside the terms, and snippets
/// are made from it in Swift, so both databases show the same snippet, never Markdown.
struct SearchIndex: Sendable {
    let database: any Database

    /// Markers that cannot occur in typed text; replaced by <mark> after escaping.
    private static let open = "\u{1}", close = "\u{2}"
    static let pageSize = 20
    /// Counting stops here: "more than 1,000 results" is as useful as the exact number.
    static let countCap = 1_000

    var dialect: DatabaseDialect { DatabaseDialect(database) }
    private var sql: any SQLDatabase { database as! any SQLDatabase }

    /// A post as the index holds it.
    struct Entry: Sendable {
        let postID: Int
        /// The topic's title for its opening post, empty for replies.
        let title: String
        /// The readable text (`SearchText.plain`).
        let plain: String

        init(postID: Int, title: String, html: String) {
            self.postID = postID
            self.title = title
            self.plain = SearchText.plain(html: html)
        }
    }

    /// Creates the index structures (called by a migration).
    static func create(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        switch DatabaseDialect(database) {
        case .sqlite:
            // Only the terms are indexed; the texts ride along for snippets.
            try await sql.raw(
                "CREATE VIRTUAL TABLE post_search USING fts5(title UNINDEXED, body UNINDEXED, title_terms, body_terms, tokenize = 'unicode61')"
            ).run()
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

    /// Adds or replaces a post's entry; `title` is the topic's title for its opening post.
    func index(_ post: Post, title: String) async throws {
        let postID = try post.requireID()
        try await remove(postID: postID)
        try await insert([Entry(postID: postID, title: title, html: post.bodyHTML)])
    }

    /// Adds entries for posts not in the index yet, in one statement per call.
    func insert(_ entries: [Entry]) async throws {
        guard !entries.isEmpty else { return }
        switch dialect {
        case .sqlite:
            let builder = sql.insert(into: "post_search").columns("rowid", "title", "body", "title_terms", "body_terms")
            for entry in entries {
                builder.values(
                    SQLBind(entry.postID), SQLBind(entry.title), SQLBind(entry.plain), SQLBind(SearchText.shadow(of: entry.title)),
                    SQLBind(SearchText.shadow(of: entry.plain)))
            }
            try await builder.run()
        case .postgres:
            var values = [SQLQueryString]()
            for entry in entries {
                values.append(
                    """
                    (\(bind: entry.postID)::bigint, \(bind: entry.title)::text, \(bind: entry.plain)::text,
                     \(bind: SearchText.shadow(of: entry.title))::text, \(bind: SearchText.shadow(of: entry.plain))::text)
                    """)
            }
            let list = values.dropFirst().reduce(values[0]) { "\($0), \($1)" }
            try await sql.raw(
                """
                INSERT INTO post_search (post_id, title, body, document)
                SELECT v.id, v.title, v.body, setweight(to_tsvector('simple', v.title_terms), 'A') || to_tsvector('simple', v.body_terms)
                FROM (VALUES \(list)) AS v(id, title, body, title_terms, body_terms)
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

    /// One page of ranked hits among findable posts (best first), the next page's cursor, and
    /// the count. Two statements: the page and the (capped) count.
    func search(
        _ query: String, categoryID: Int?, scope: SearchScope = .everywhere, after cursor: SearchCursor? = nil, limit: Int = SearchIndex.pageSize
    ) async throws -> SearchResults {
        let groups = SearchText.query(query)
        guard !groups.isEmpty else { return SearchResults() }
        var filter = categoryID.map { SQLQueryString("AND t.category_id = \(bind: $0)") } ?? SQLQueryString("")
        if let kinds = scope.kinds { filter = "\(filter) AND t.kind IN (\(binds: kinds.map(\.rawValue)))" }
        // Terms are letters and digits only (`SearchText.terms`): never syntax in either language.
        let (match, rank): (SQLQueryString, SQLQueryString)
        switch dialect {
        case .sqlite:
            let text = groups.map { "(" + $0.map { "\"\($0)\"*" }.joined(separator: " OR ") + ")" }.joined(separator: " AND ")
            match = "post_search MATCH \(bind: text)"
            // bm25 is lower for a better hit; the title's terms count five times.
            rank = "bm25(post_search, 0.0, 0.0, 5.0, 1.0)"
        case .postgres:
            let text = groups.map { "(" + $0.map { "\($0):*" }.joined(separator: " | ") + ")" }.joined(separator: " & ")
            match = "s.document @@ to_tsquery('simple', \(bind: text))"
            // Negated, so that lower is better here too.
            rank = "-(ts_rank(s.document, to_tsquery('simple', \(bind: text)))::float8)"
        }
        let source: SQLQueryString =
            dialect == .sqlite
            ? "post_search JOIN posts p ON p.id = post_search.rowid" : "post_search s JOIN posts p ON p.id = s.post_id"
        let body: SQLQueryString = dialect == .sqlite ? "post_search.body" : "s.body"
        let findable = Guardian.isFindableSQL(post: "p", topic: "t", author: "a")
        let after: SQLQueryString =
            cursor.map { "WHERE hits.rank > \(bind: $0.rank) OR (hits.rank = \(bind: $0.rank) AND hits.post_id < \(bind: $0.postID))" } ?? ""
        let rows = try await sql.raw(
            """
            SELECT * FROM (
              SELECT p.id AS post_id, p.topic_id, p.number, t.title AS topic_title, t.category_id, t.kind, \(body) AS plain, \(rank) AS rank
              FROM \(source) JOIN topics t ON t.id = p.topic_id JOIN members a ON a.id = p.author_id
              WHERE \(match) AND \(findable) \(filter)
            ) hits \(after)
            ORDER BY hits.rank, hits.post_id DESC LIMIT \(bind: limit + 1)
            """
        ).all()
        var results = SearchResults()
        for row in rows.prefix(limit) {
            results.hits.append(
                SearchHit(
                    postID: try row.decode(column: "post_id", as: Int.self),
                    topicID: try row.decode(column: "topic_id", as: Int.self),
                    postNumber: try row.decode(column: "number", as: Int.self),
                    topicTitle: try row.decode(column: "topic_title", as: String.self),
                    categoryID: try row.decode(column: "category_id", as: Int.self),
                    snippetHTML: Self.highlight(
                        SearchText.snippet(try row.decode(column: "plain", as: String.self), query: groups, open: Self.open, close: Self.close)),
                    kind: try row.decode(column: "kind", as: TopicKind.self)))
        }
        if rows.count > limit, let last = rows.prefix(limit).last {
            results.next = SearchCursor(
                rank: try last.decode(column: "rank", as: Double.self), postID: try last.decode(column: "post_id", as: Int.self))
        }
        let counted = try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM (
              SELECT 1 FROM \(source) JOIN topics t ON t.id = p.topic_id JOIN members a ON a.id = p.author_id
              WHERE \(match) AND \(findable) \(filter) LIMIT \(bind: Self.countCap + 1)
            ) capped
            """
        ).first()
        let count = try counted?.decode(column: "n", as: Int.self) ?? 0
        results.count = min(count, Self.countCap)
        results.countCapped = count > Self.countCap
        return results
    }

    /// Escapes the snippet, then turns the markers into <mark>.
    static func highlight(_ snippet: String) -> String {
        HTMLEscaping.text(snippet)
            .replacingOccurrences(of: open, with: "<mark>")
            .replacingOccurrences(of: close, with: "</mark>")
    }
}
