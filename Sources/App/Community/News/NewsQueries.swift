import Fluent
import Foundation
import SQLKit

/// A news item as lists show it.
struct NewsRow: Sendable {
    let topicID: Int
    let kind: NewsItem.Kind
    let title: String
    let summary: String
    let publishAt: Date?
    let published: Bool
    let pinned: Bool
    let isPublic: Bool
    let themeID: Int?
    let replyCount: Int
}

/// The news' SQL: one query per list, whatever its length. Visibility comes from Guardian.
enum NewsQueries {
    static let pageSize = 20

    /// What a list asks for.
    struct Filter: Sendable {
        var kind: NewsItem.Kind? = nil
        var themeID: Int? = nil
        /// Only items visitors may read.
        var publicOnly = false
    }

    /// Published items, newest first after the cursor, in the reader's language.
    static func published(
        _ filter: Filter, after cursor: TopicCursor?, locale: AppLocale, limit: Int = pageSize, on db: any Database
    ) async throws -> (rows: [NewsRow], next: TopicCursor?) {
        var conditions: [SQLQueryString] = [Guardian.isListedSQL(topic: "t"), "n.published = \(bind: true)"]
        if let kind = filter.kind { conditions.append("n.kind = \(bind: kind.rawValue)") }
        if let theme = filter.themeID { conditions.append("n.theme_id = \(bind: theme)") }
        if filter.publicOnly { conditions.append("n.public = \(bind: true)") }
        if let cursor {
            conditions.append(
                "(t.created_at < \(bind: cursor.lastActivityAt) OR (t.created_at = \(bind: cursor.lastActivityAt) AND t.id < \(bind: cursor.id)))")
        }
        let rows = try await list(where: conditions, order: "t.created_at DESC, t.id DESC", limit: limit + 1, locale: locale, on: db)
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { TopicCursor(lastActivityAt: $0.publishAt ?? Date.distantPast, id: $0.topicID) } : nil
        return (page, next)
    }

    /// Drafts and scheduled items, for editors: scheduled first by time, then drafts by change.
    static func unpublished(locale: AppLocale, on db: any Database) async throws -> [NewsRow] {
        try await list(
            where: ["n.published = \(bind: false)"], order: "CASE WHEN n.publish_at IS NULL THEN 1 ELSE 0 END, n.publish_at, n.updated_at DESC",
            limit: 50, locale: locale, on: db)
    }

    /// Pinned published items for the members' home page, newest first.
    static func pinned(locale: AppLocale, limit: Int = 3, on db: any Database) async throws -> [NewsRow] {
        try await list(
            where: [Guardian.isListedSQL(topic: "t"), "n.published = \(bind: true)", "n.pinned = \(bind: true)"],
            order: "t.created_at DESC, t.id DESC", limit: limit, locale: locale, on: db)
    }

    private static func list(
        where conditions: [SQLQueryString], order: String, limit: Int, locale: AppLocale, on db: any Database
    ) async throws -> [NewsRow] {
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        // The English text where an item has one and the reader reads English.
        let english = locale == .en
        return try await (db as! any SQLDatabase).raw(
            """
            SELECT t.id, t.title, t.created_at, t.reply_count, n.kind, n.summary, n.second_title, n.second_summary, n.language,
                   n.publish_at, n.published, n.pinned, n.public, n.theme_id
            FROM news_items n JOIN topics t ON t.id = n.topic_id
            WHERE \(whereClause)
            ORDER BY \(unsafeRaw: order) LIMIT \(bind: limit)
            """
        ).all().map { row in
            let both = try row.decode(column: "language", as: NewsItem.Language.self) == .both
            let published = try row.decode(column: "published", as: Bool.self)
            let secondTitle = english && both ? try row.decode(column: "second_title", as: String?.self) : nil
            let secondSummary = english && both ? try row.decode(column: "second_summary", as: String?.self) : nil
            return NewsRow(
                topicID: try row.decode(column: "id", as: Int.self),
                kind: try row.decode(column: "kind", as: NewsItem.Kind.self),
                title: try secondTitle ?? row.decode(column: "title", as: String.self),
                summary: try secondSummary ?? row.decode(column: "summary", as: String.self),
                publishAt: published ? try row.decode(column: "created_at", as: Date.self) : try row.decode(column: "publish_at", as: Date?.self),
                published: published,
                pinned: try row.decode(column: "pinned", as: Bool.self),
                isPublic: try row.decode(column: "public", as: Bool.self),
                themeID: try row.decode(column: "theme_id", as: Int?.self),
                replyCount: try row.decode(column: "reply_count", as: Int.self))
        }
    }

    /// Scheduled items whose time has come.
    static func dueForPublication(now: Date, on db: any Database) async throws -> [NewsItem] {
        try await NewsItem.query(on: db).filter(\.$published == false).filter(\.$publishAt != nil).filter(\.$publishAt <= now).all()
    }

    /// Published items whose members have not all been told yet.
    static func waitingToBeTold(on db: any Database) async throws -> [NewsItem] {
        try await NewsItem.query(on: db).filter(\.$published == true).filter(\.$fanoutDone == false).all()
    }

    /// The next members to tell, in id order after `after`: verified, still members.
    static func membersToTell(after: UUID?, limit: Int, on db: any Database) async throws -> [Member] {
        let cursor = after.map { SQLQueryString("AND m.id > \(bind: $0)") } ?? SQLQueryString("")
        return try await (db as! any SQLDatabase).raw(
            """
            SELECT \(unsafeRaw: Member.columns("m")) FROM members m
            WHERE m.email_verified_at IS NOT NULL AND m.closed_at IS NULL \(cursor)
            ORDER BY m.id LIMIT \(bind: limit)
            """
        ).all().map { try Member.from(row: $0, alias: "m") }
    }

    static func openingPostID(of topicID: Int, on db: any Database) async throws -> Int? {
        try await (db as! any SQLDatabase).raw("SELECT id FROM posts WHERE topic_id = \(bind: topicID) AND number = 1").first()?
            .decode(column: "id", as: Int.self)
    }

    /// The item of a topic.
    static func item(_ topicID: Int, on db: any Database) async throws -> NewsItem? {
        try await itemWithTheme(topicID, on: db)?.item
    }

    /// The item of a topic with its theme, in one query and without model reflection (the item
    /// page is read far more often than written).
    static func itemWithTheme(_ topicID: Int, on db: any Database) async throws -> (item: NewsItem, theme: Category?)? {
        let columns = [
            "topic_id", "kind", "language", "summary", "second_title", "second_summary", "second_body_markdown", "second_body_html",
            "theme_id", "source_authors", "source_publisher", "source_year", "source_link", "source_evidence", "publish_at", "published",
            "fanout_done", "fanout_after", "pinned", "public", "comments_allowed", "created_by", "updated_at",
        ].map { "n.\($0)" }.joined(separator: ", ")
        guard
            let row = try await (db as! any SQLDatabase).raw(
                """
                SELECT \(unsafeRaw: columns), \(unsafeRaw: Category.columns("c")) FROM news_items n
                LEFT JOIN categories c ON c.id = n.theme_id WHERE n.topic_id = \(bind: topicID)
                """
            ).first()
        else { return nil }
        let item = NewsItem()
        item.id = try row.decode(column: "topic_id", as: Int.self)
        item.kind = try row.decode(column: "kind", as: NewsItem.Kind.self)
        item.language = try row.decode(column: "language", as: NewsItem.Language.self)
        item.summary = try row.decode(column: "summary", as: String.self)
        item.secondTitle = try row.decode(column: "second_title", as: String?.self)
        item.secondSummary = try row.decode(column: "second_summary", as: String?.self)
        item.secondBodyMarkdown = try row.decode(column: "second_body_markdown", as: String?.self)
        item.secondBodyHTML = try row.decode(column: "second_body_html", as: String?.self)
        item.themeID = try row.decode(column: "theme_id", as: Int?.self)
        item.sourceAuthors = try row.decode(column: "source_authors", as: String?.self)
        item.sourcePublisher = try row.decode(column: "source_publisher", as: String?.self)
        item.sourceYear = try row.decode(column: "source_year", as: Int?.self)
        item.sourceLink = try row.decode(column: "source_link", as: String?.self)
        item.sourceEvidence = try row.decode(column: "source_evidence", as: Bool.self)
        item.publishAt = try row.decode(column: "publish_at", as: Date?.self)
        item.published = try row.decode(column: "published", as: Bool.self)
        item.fanoutDone = try row.decode(column: "fanout_done", as: Bool.self)
        item.fanoutAfter = try row.decode(column: "fanout_after", as: UUID?.self)
        item.pinned = try row.decode(column: "pinned", as: Bool.self)
        item.isPublic = try row.decode(column: "public", as: Bool.self)
        item.commentsAllowed = try row.decode(column: "comments_allowed", as: Bool.self)
        item.createdBy = try row.decode(column: "created_by", as: UUID.self)
        item.updatedAt = try row.decode(column: "updated_at", as: Date.self)
        item.$id.exists = true
        let theme = try row.decode(column: "c_id", as: Int?.self) == nil ? nil : try Category.from(row: row, alias: "c")
        return (item, theme)
    }
}
