import Fluent
import SQLKit
import Vapor

/// An unscreened post with what a moderator needs to judge it.
struct ScreeningRow: Sendable {
    let postID: Int
    let number: Int
    let bodyHTML: String
    let createdAt: Date
    let authorID: UUID
    let authorPseudonym: String
    let topicID: Int
    let topicTitle: String
    let categoryID: Int
}

/// Everything unscreened, oldest first, a page at a time (keyset on the post id, one query).
struct ScreeningQueue {
    let database: any Database
    static let pageSize = 50

    func load(after: Int?, limit: Int = ScreeningQueue.pageSize) async throws -> (rows: [ScreeningRow], more: Bool) {
        let rows = try await (database as! any SQLDatabase).raw(
            """
            SELECT p.id, p.number, p.body_html, p.created_at, p.author_id, m.pseudonym, t.id AS topic_id, t.title, t.category_id
            FROM posts p JOIN topics t ON t.id = p.topic_id JOIN members m ON m.id = p.author_id
            WHERE p.screening = \(bind: Screening.unscreened.rawValue) AND p.id > \(bind: after ?? 0)
            ORDER BY p.id LIMIT \(bind: limit + 1)
            """
        ).all()
        let items = try rows.prefix(limit).map { row in
            ScreeningRow(
                postID: try row.decode(column: "id", as: Int.self),
                number: try row.decode(column: "number", as: Int.self),
                bodyHTML: try row.decode(column: "body_html", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                authorID: try row.decode(column: "author_id", as: UUID.self),
                authorPseudonym: try row.decode(column: "pseudonym", as: String.self),
                topicID: try row.decode(column: "topic_id", as: Int.self),
                topicTitle: try row.decode(column: "title", as: String.self),
                categoryID: try row.decode(column: "category_id", as: Int.self))
        }
        return (items, rows.count > limit)
    }

    /// Groups a page by topic, in order of each topic's oldest item, so related posts are read together.
    static func grouped(_ rows: [ScreeningRow]) -> [(topicID: Int, title: String, rows: [ScreeningRow])] {
        var order = [Int]()
        var groups = [Int: [ScreeningRow]]()
        for row in rows {
            if groups[row.topicID] == nil { order.append(row.topicID) }
            groups[row.topicID, default: []].append(row)
        }
        return order.map { ($0, groups[$0]![0].topicTitle, groups[$0]!) }
    }

    /// Marks the given posts screened (those still unscreened), in one statement.
    func markScreened(postIDs: [Int], by moderatorID: UUID, now: Date) async throws -> Int {
        guard !postIDs.isEmpty else { return 0 }
        let rows = try await (database as! any SQLDatabase).raw(
            """
            UPDATE posts SET screening = \(bind: Screening.screened.rawValue), screened_at = \(bind: now), screened_by = \(bind: moderatorID)
            WHERE id IN (\(binds: postIDs)) AND screening = \(bind: Screening.unscreened.rawValue)
            RETURNING id
            """
        ).all()
        return rows.count
    }
}

/// The figures on the moderation dashboard.
struct ScreeningFigures: Sendable {
    /// How many posts wait for screening.
    let unscreened: Int
    /// When the oldest of them was written; nil when nothing waits.
    let oldestUnscreenedAt: Date?
    /// Share of the posts of the last 30 days (older than 12 hours) screened within 12 hours;
    /// nil when there were none.
    let coverage: Double?

    static let coverageWindow: TimeInterval = 30 * 86_400
    static let screeningDeadline: TimeInterval = 12 * 3_600

    static func load(on database: any Database, now: Date) async throws -> ScreeningFigures {
        let sql = database as! any SQLDatabase
        // Both read the (screening, id) index: a count of its range and its first entry.
        let waiting = try await sql.raw(
            """
            SELECT COUNT(*) AS waiting FROM posts WHERE screening = \(bind: Screening.unscreened.rawValue)
            """
        ).first()
        let oldest = try await sql.raw(
            """
            SELECT created_at FROM posts WHERE screening = \(bind: Screening.unscreened.rawValue) ORDER BY id LIMIT 1
            """
        ).first()
        let from = now.addingTimeInterval(-coverageWindow)
        let until = now.addingTimeInterval(-screeningDeadline)
        // Read from the (created_at, screened_at) index alone, without visiting the posts.
        // A post counts as screened in time when a moderator screened (or hid) it within
        // 12 hours of its writing. Posts younger than 12 hours are not judged yet.
        let deadline = DatabaseDialect(database).adding(seconds: Int(screeningDeadline), to: "created_at")
        let coverage = try await sql.raw(
            """
            SELECT COUNT(*) AS total,
                   CAST(COALESCE(SUM(CASE WHEN screened_at IS NOT NULL AND screened_at <= \(unsafeRaw: deadline) THEN 1 ELSE 0 END), 0) AS BIGINT) AS in_time
            FROM posts WHERE created_at >= \(bind: from) AND created_at < \(bind: until)
              AND screening <> \(bind: Screening.journal.rawValue)
            """
        ).first()
        let total = try coverage?.decode(column: "total", as: Int.self) ?? 0
        let inTime = try coverage?.decode(column: "in_time", as: Int.self) ?? 0
        return ScreeningFigures(
            unscreened: try waiting?.decode(column: "waiting", as: Int.self) ?? 0,
            oldestUnscreenedAt: try oldest?.decode(column: "created_at", as: Date.self),
            coverage: total == 0 ? nil : Double(inTime) / Double(total))
    }
}
