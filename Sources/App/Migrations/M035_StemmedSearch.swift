import Fluent
import SQLKit

/// Search over stemmed terms (`SearchText`), the same on both databases: the index is built
/// again in the new shape from every public post, in batches.
struct M035_StemmedSearch: AsyncMigration {
    var name: String { "M035_StemmedSearch" }

    func prepare(on database: any Database) async throws {
        try await SearchIndex.drop(on: database)
        try await SearchIndex.create(on: database)
        try await Self.rebuild(on: database)
    }

    /// Every findable post (public, in a listed topic; the search query applies the rest), by id.
    static func rebuild(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let index = SearchIndex(database: database)
        var after = 0
        while true {
            let rows = try await sql.raw(
                """
                SELECT p.id, p.number, p.body_html, t.title FROM posts p JOIN topics t ON t.id = p.topic_id
                WHERE p.id > \(bind: after) AND \(Guardian.isPublicSQL(post: "p")) ORDER BY p.id LIMIT 500
                """
            ).all()
            guard let last = rows.last else { return }
            try await index.insert(
                try rows.map { row in
                    SearchIndex.Entry(
                        postID: try row.decode(column: "id", as: Int.self),
                        title: try row.decode(column: "number", as: Int.self) == 1 ? try row.decode(column: "title", as: String.self) : "",
                        html: try row.decode(column: "body_html", as: String.self))
                })
            after = try last.decode(column: "id", as: Int.self)
        }
    }

    /// Back to the earlier shape (stemmed by the databases), rebuilt from the same posts.
    func revert(on database: any Database) async throws {
        try await SearchIndex.drop(on: database)
        let sql = database as! any SQLDatabase
        switch DatabaseDialect(database) {
        case .sqlite:
            try await sql.raw("CREATE VIRTUAL TABLE post_search USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')").run()
            try await sql.raw(
                """
                INSERT INTO post_search (rowid, title, body)
                SELECT p.id, CASE WHEN p.number = 1 THEN t.title ELSE '' END, p.body_markdown FROM posts p JOIN topics t ON t.id = p.topic_id
                WHERE \(Guardian.isPublicSQL(post: "p"))
                """
            ).run()
        case .postgres:
            try await sql.raw(
                "CREATE TABLE post_search (post_id BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE, title TEXT NOT NULL, body TEXT NOT NULL, document TSVECTOR NOT NULL)"
            ).run()
            try await sql.raw("CREATE INDEX ix_post_search_document ON post_search USING GIN (document)").run()
            try await sql.raw(
                """
                INSERT INTO post_search (post_id, title, body, document)
                SELECT p.id, v.title, p.body_markdown, setweight(to_tsvector('dutch', v.title), 'A') || setweight(to_tsvector('english', v.title), 'A')
                  || to_tsvector('dutch', p.body_markdown) || to_tsvector('english', p.body_markdown)
                FROM posts p JOIN topics t ON t.id = p.topic_id CROSS JOIN LATERAL (SELECT CASE WHEN p.number = 1 THEN t.title ELSE '' END AS title) v
                WHERE \(Guardian.isPublicSQL(post: "p"))
                """
            ).run()
        }
    }
}
