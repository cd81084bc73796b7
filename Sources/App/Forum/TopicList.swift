import Fluent
import SQLKit
import Vapor

/// One line of a topic list, loaded with its author and the viewer's read position.
struct TopicRow: Sendable {
    let id: Int
    let title: String
    let categoryID: Int
    let lastActivityAt: Date
    let replyCount: Int
    let pinned: Bool
    let closed: Bool
    let lastPostNumber: Int
    let authorPseudonym: String
    /// Moderators and administrators carry a team badge beside their name.
    var authorRole: Role = .member
    /// The author's avatar choice (`Avatar`).
    var authorAvatar: String? = nil
    let lastRead: Int

    var isUnread: Bool { lastPostNumber > lastRead }
}

/// Where the next page of a topic list starts: keyset pagination on (last activity, id).
struct TopicCursor: Sendable, Equatable {
    let lastActivityAt: Date
    let id: Int

    var token: String { "\(Int64((lastActivityAt.timeIntervalSince1970 * 1000).rounded()))_\(id)" }

    init(lastActivityAt: Date, id: Int) {
        self.lastActivityAt = lastActivityAt
        self.id = id
    }

    init?(token: String?) {
        guard let parts = token?.split(separator: "_"), parts.count == 2,
            let millis = Int64(parts[0]), let id = Int(parts[1])
        else { return nil }
        self.lastActivityAt = Date(timeIntervalSince1970: Double(millis) / 1000)
        self.id = id
    }
}

/// The topic-list queries: one query per list, whatever its length.
struct TopicList {
    let database: any Database
    static let pageSize = 30
    /// How many topics "new since your last visit" shows; the latest topics follow below.
    static let newSinceLimit = 8

    /// Topics, latest activity first, after the cursor; returns the rows and the next cursor.
    /// `unreadSince`: only topics with posts after that moment that the viewer has not read
    /// (the home page's "new since your last visit").
    func load(
        viewer: UUID, categoryID: Int?, pinned: Bool?, after cursor: TopicCursor?, unreadSince: Date? = nil, limit: Int = TopicList.pageSize
    ) async throws -> (
        rows: [TopicRow], next: TopicCursor?
    ) {
        let sql = database as! any SQLDatabase
        var conditions = [Guardian.isListedInForumSQL(topic: "t")]
        if let categoryID { conditions.append("t.category_id = \(bind: categoryID)") }
        // Muted topics leave the viewer's lists; muted themes leave the overall list (their own page still shows them).
        conditions.append(
            "NOT EXISTS (SELECT 1 FROM topic_watches w WHERE w.member_id = \(bind: viewer) AND w.topic_id = t.id AND w.level = 'muted')")
        if categoryID == nil {
            conditions.append(
                "NOT EXISTS (SELECT 1 FROM category_watches cw WHERE cw.member_id = \(bind: viewer) AND cw.category_id = t.category_id AND cw.level = 'muted')"
            )
        }
        if let pinned { conditions.append("t.pinned = \(bind: pinned)") }
        if let unreadSince {
            conditions.append("t.last_activity_at > \(bind: unreadSince) AND t.last_post_number > COALESCE(r.last_read_post_number, 0)")
        }
        if let cursor {
            conditions.append(
                "(t.last_activity_at < \(bind: cursor.lastActivityAt) OR (t.last_activity_at = \(bind: cursor.lastActivityAt) AND t.id < \(bind: cursor.id)))"
            )
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let rows = try await sql.raw(
            """
            SELECT t.id, t.title, t.category_id, t.last_activity_at, t.reply_count, t.pinned, t.closed, t.last_post_number,
                   \(unsafeRaw: Member.shownName("m")) AS pseudonym, \(unsafeRaw: Member.shownRole("m")) AS author_role, m.avatar_colour,
                   COALESCE(r.last_read_post_number, 0) AS last_read
            FROM topics t JOIN members m ON m.id = t.author_id
            LEFT JOIN read_states r ON r.topic_id = t.id AND r.member_id = \(bind: viewer)
            WHERE \(whereClause)
            ORDER BY t.last_activity_at DESC, t.id DESC LIMIT \(bind: limit + 1)
            """
        ).all()
        var topics = try rows.map { row in
            TopicRow(
                id: try row.decode(column: "id", as: Int.self),
                title: try row.decode(column: "title", as: String.self),
                categoryID: try row.decode(column: "category_id", as: Int.self),
                lastActivityAt: try row.decode(column: "last_activity_at", as: Date.self),
                replyCount: try row.decode(column: "reply_count", as: Int.self),
                pinned: try row.decode(column: "pinned", as: Bool.self),
                closed: try row.decode(column: "closed", as: Bool.self),
                lastPostNumber: try row.decode(column: "last_post_number", as: Int.self),
                authorPseudonym: try row.decode(column: "pseudonym", as: String.self),
                authorRole: try row.decode(column: "author_role", as: Role.self),
                authorAvatar: try row.decode(column: "avatar_colour", as: String?.self),
                lastRead: try row.decode(column: "last_read", as: Int.self))
        }
        var next: TopicCursor?
        if topics.count > limit {
            topics.removeLast()
            if let last = topics.last { next = TopicCursor(lastActivityAt: last.lastActivityAt, id: last.id) }
        }
        return (topics, next)
    }

    /// How far back unread counts look: older threads are not "new" to anyone, and the
    /// window keeps the count on the activity index instead of a scan of every topic.
    static let unreadWindow: TimeInterval = 30 * 86_400

    /// How many of the latest active topics the unread counts look at: the counts cost the same
    /// whatever the forum's size (at 1,000,000 posts, counting every topic of the last 30 days
    /// took 3 ms per home page; these 500 take 0.2 ms at any size).
    static let unreadHorizon = 500

    /// Unread topics per category for one member among the latest active topics (at most
    /// `unreadHorizon`, none older than `unreadWindow`), in one query: the latest topics are read
    /// from the covering index in order, and each is checked against the member's read state.
    func unreadCounts(viewer: UUID, now: Date) async throws -> [Int: Int] {
        let since = now.addingTimeInterval(-Self.unreadWindow)
        let rows = try await (database as! any SQLDatabase).raw(
            """
            WITH recent AS (
                SELECT t.id, t.category_id, t.last_post_number FROM topics t
                WHERE t.last_activity_at > \(bind: since) AND \(Guardian.isListedInForumSQL(topic: "t"))
                ORDER BY t.last_activity_at DESC LIMIT \(bind: Self.unreadHorizon))
            SELECT category_id, COUNT(*) AS unread FROM recent
            WHERE NOT EXISTS (SELECT 1 FROM read_states r WHERE r.member_id = \(bind: viewer) AND r.topic_id = recent.id
                                AND r.last_read_post_number >= recent.last_post_number)
            GROUP BY category_id
            """
        ).all()
        var counts = [Int: Int]()
        for row in rows {
            let unread = try row.decode(column: "unread", as: Int.self)
            if unread > 0 { counts[try row.decode(column: "category_id", as: Int.self)] = unread }
        }
        return counts
    }
}
