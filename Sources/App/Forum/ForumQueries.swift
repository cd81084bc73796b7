import Fluent
import SQLKit
import Vapor

/// The forum's SQL writes that are not a plain model save.
enum ForumQueries {
    static func insertPost(
        topicID: Int, number: Int, authorID: UUID, markdown: String, html: String,
        screening: Screening = .unscreened, now: Date, on db: any Database
    ) async throws -> Post {
        let post = Post()
        post.topicID = topicID
        post.number = number
        post.authorID = authorID
        post.bodyMarkdown = markdown
        post.bodyHTML = html
        post.createdAt = now
        post.screening = screening
        try await post.create(on: db)
        return post
    }

    /// The next post number of a topic, from an atomic counter on the topic (two replies at
    /// once never share a number); also counts the reply and the topic's latest activity.
    static func takeNextPostNumber(in topicID: Int, now: Date, on db: any Database) async throws -> Int {
        guard
            let row = try await (db as! any SQLDatabase).raw(
                """
                UPDATE topics SET last_post_number = last_post_number + 1, reply_count = reply_count + 1,
                  last_activity_at = \(bind: now) WHERE id = \(bind: topicID) RETURNING last_post_number
                """
            ).first()
        else { throw AppError.notFound }
        return try row.decode(column: "last_post_number", as: Int.self)
    }

    /// Moves a member's read position forward (never back), in one statement.
    static func markRead(memberID: UUID, topicID: Int, upTo number: Int, now: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            """
            INSERT INTO read_states (id, member_id, topic_id, last_read_post_number, updated_at)
            VALUES (\(bind: UUID()), \(bind: memberID), \(bind: topicID), \(bind: number), \(bind: now))
            ON CONFLICT (member_id, topic_id) DO UPDATE SET
              last_read_post_number = CASE WHEN read_states.last_read_post_number < EXCLUDED.last_read_post_number
                                           THEN EXCLUDED.last_read_post_number ELSE read_states.last_read_post_number END,
              updated_at = EXCLUDED.updated_at
            """
        ).run()
    }

    /// Public posts after `after` (for live updates), with their authors; posts by members the
    /// viewer muted and text withdrawn by former members are left out.
    static func postsAfter(_ after: Int, inTopic topicID: Int, viewerID: UUID, limit: Int = 20, on db: any Database) async throws
        -> [any SQLRow]
    {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT p.number, p.body_html, p.created_at, \(unsafeRaw: Member.shownName("m")) AS author,
                   \(unsafeRaw: Member.shownRole("m")) AS author_role
            FROM posts p JOIN members m ON m.id = p.author_id
            WHERE p.topic_id = \(bind: topicID) AND p.number > \(bind: after) AND \(Guardian.isPublicSQL(post: "p"))
              AND NOT \(Guardian.hasWithdrawnTextSQL(member: "m"))
              AND NOT EXISTS (SELECT 1 FROM member_mutes mm WHERE mm.member_id = \(bind: viewerID) AND mm.muted_id = p.author_id)
            ORDER BY p.number LIMIT \(bind: limit)
            """
        ).all()
    }

    /// A member's latest forum topics that the viewer may open, newest first.
    static func topicsStarted(by authorID: UUID, visibleTo viewer: Member, limit: Int = 20, on db: any Database) async throws -> [Topic] {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT \(unsafeRaw: Topic.columns("t")) FROM topics t
            WHERE t.author_id = \(bind: authorID) AND t.kind = \(bind: TopicKind.forum.rawValue) AND \(Guardian.canSeeSQL(topic: "t", by: viewer))
            ORDER BY t.created_at DESC LIMIT \(bind: limit)
            """
        ).all().map { try Topic.from(row: $0, alias: "t") }
    }

    /// The topic page's reads: a fixed number of queries, whatever the page holds.
    struct TopicPage {
        let database: any Database
        let topicID: Int
        let viewerID: UUID
        private var sql: any SQLDatabase { database as! any SQLDatabase }

        /// The topic, its category, the viewer's read position and watch level.
        func head() async throws -> (any SQLRow)? {
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Topic.columns("t")), \(unsafeRaw: Category.columns("c")),
                       COALESCE(r.last_read_post_number, 0) AS last_read, w.level AS watch_level
                FROM topics t JOIN categories c ON c.id = t.category_id
                LEFT JOIN read_states r ON r.topic_id = t.id AND r.member_id = \(bind: viewerID)
                LEFT JOIN topic_watches w ON w.topic_id = t.id AND w.member_id = \(bind: viewerID)
                WHERE t.id = \(bind: topicID)
                """
            ).first()
        }

        /// The posts of a page with their authors: a range of post numbers, no OFFSET.
        func posts(numbered range: ClosedRange<Int>) async throws -> [any SQLRow] {
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Post.columns("p")), \(unsafeRaw: Member.shownName("m")) AS author_pseudonym,
                       \(unsafeRaw: Member.shownRole("m")) AS author_role, m.avatar_colour AS author_avatar,
                       CASE WHEN \(Guardian.hasWithdrawnTextSQL(member: "m")) THEN 1 ELSE 0 END AS text_withdrawn,
                       CASE WHEN mm.id IS NULL THEN 0 ELSE 1 END AS author_muted
                FROM posts p JOIN members m ON m.id = p.author_id
                LEFT JOIN member_mutes mm ON mm.member_id = \(bind: viewerID) AND mm.muted_id = p.author_id
                WHERE p.topic_id = \(bind: topicID) AND p.number BETWEEN \(bind: range.lowerBound) AND \(bind: range.upperBound)
                ORDER BY p.number
                """
            ).all()
        }

        /// Every reaction on the page's posts with who gave it.
        func reactions(on postIDs: [Int]) async throws -> [any SQLRow] {
            try await sql.raw(
                """
                SELECT r.post_id, r.kind, r.member_id, \(unsafeRaw: Member.shownName("m")) AS pseudonym
                FROM reactions r JOIN members m ON m.id = r.member_id
                WHERE r.post_id IN (\(binds: postIDs)) ORDER BY r.created_at
                """
            ).all()
        }

        /// Moderators' notes under the page's posts.
        func moderatorNotes(on postIDs: [Int]) async throws -> [any SQLRow] {
            try await sql.raw(
                """
                SELECT post_id, body_html FROM moderator_notes WHERE post_id IN (\(binds: postIDs)) ORDER BY created_at
                """
            ).all()
        }

        /// "Read by N" for the viewer's own posts: one grouped query on the read-state index.
        func readerCounts(of postIDs: [Int]) async throws -> [any SQLRow] {
            try await sql.raw(
                """
                SELECT p.id, COUNT(r.id) AS readers FROM posts p
                JOIN read_states r ON r.topic_id = p.topic_id AND r.last_read_post_number >= p.number AND r.member_id <> p.author_id
                WHERE p.id IN (\(binds: postIDs)) GROUP BY p.id
                """
            ).all()
        }

        /// Reading the topic settles its notifications: no need to open them one by one.
        func settleNotifications(now: Date) async throws {
            try await sql.raw(
                """
                UPDATE notifications SET read_at = \(bind: now)
                WHERE member_id = \(bind: viewerID) AND topic_id = \(bind: topicID) AND read_at IS NULL
                """
            ).run()
        }
    }
}
