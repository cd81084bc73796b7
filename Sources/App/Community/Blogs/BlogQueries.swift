import Fluent
import Foundation
import SQLKit

/// An entry as the blogs list and a member's blog show it.
struct BlogEntryRow: Sendable {
    let topicID: Int
    let title: String
    let kind: TopicKind
    let createdAt: Date
    let replyCount: Int
    let commentsOff: Bool
    let authorPseudonym: String
    let authorRole: Role
    let excerpt: String
    /// Held or hidden by a moderator: shown to its author with a note.
    let waits: Bool
}

/// The blogs' SQL: one query per list, whatever its length. Visibility comes from Guardian.
enum BlogQueries {
    static let pageSize = 20

    /// Entries newest first after the cursor: everyone's (`authorID` nil) or one member's. The
    /// viewer sees what Guardian lets them see: their own journal, never anyone else's.
    static func entries(
        by authorID: UUID?, viewer: Member, after cursor: TopicCursor?, limit: Int = pageSize, on db: any Database
    ) async throws -> (rows: [BlogEntryRow], next: TopicCursor?) {
        var conditions: [SQLQueryString] = [Guardian.canSeeSQL(topic: "t", by: viewer)]
        if let authorID {
            conditions.append("t.kind IN (\(bind: TopicKind.blog.rawValue), \(bind: TopicKind.journal.rawValue))")
            conditions.append("t.author_id = \(bind: authorID)")
            // Someone else's blog shows only what all members read, even to moderators.
            if authorID != viewer.id { conditions.append(Guardian.isListedSQL(topic: "t")) }
        } else {
            // The list of everyone's entries: what all members read, and the viewer's own that
            // wait for a moderator (journal entries live on the member's own blog page). One kind,
            // so the (kind, created_at, id) index gives the order without sorting.
            conditions.append("t.kind = \(bind: TopicKind.blog.rawValue)")
            conditions.append("(\(Guardian.isListedSQL(topic: "t")) OR t.author_id = \(bind: viewer.id ?? UUID()))")
            conditions.append(
                "NOT EXISTS (SELECT 1 FROM blog_follows f WHERE f.member_id = \(bind: viewer.id ?? UUID()) AND f.author_id = t.author_id AND f.level = 'muted')"
            )
        }
        if let cursor {
            conditions.append(
                "(t.created_at < \(bind: cursor.lastActivityAt) OR (t.created_at = \(bind: cursor.lastActivityAt) AND t.id < \(bind: cursor.id)))")
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT t.id, t.title, t.kind, t.created_at, t.reply_count, t.closed, t.visible,
                   \(unsafeRaw: Member.shownName("m")) AS pseudonym, \(unsafeRaw: Member.shownRole("m")) AS author_role,
                   SUBSTR(p.body_markdown, 1, 600) AS opening,
                   CASE WHEN \(Guardian.hasWithdrawnTextSQL(member: "m")) THEN 1 ELSE 0 END AS withdrawn
            FROM topics t JOIN members m ON m.id = t.author_id
            JOIN posts p ON p.topic_id = t.id AND p.number = 1
            WHERE \(whereClause)
            ORDER BY t.created_at DESC, t.id DESC LIMIT \(bind: limit + 1)
            """
        ).all()
        let entries = try rows.prefix(limit).map { row in
            let kind = try row.decode(column: "kind", as: TopicKind.self)
            let withdrawn = try row.decode(column: "withdrawn", as: Int.self) == 1
            let visible = try row.decode(column: "visible", as: Bool.self)
            let opening = try row.decode(column: "opening", as: String.self)
            return BlogEntryRow(
                topicID: try row.decode(column: "id", as: Int.self),
                title: try row.decode(column: "title", as: String.self),
                kind: kind,
                createdAt: try row.decode(column: "created_at", as: Date.self),
                replyCount: try row.decode(column: "reply_count", as: Int.self),
                commentsOff: try row.decode(column: "closed", as: Bool.self),
                authorPseudonym: try row.decode(column: "pseudonym", as: String.self),
                authorRole: try row.decode(column: "author_role", as: Role.self),
                excerpt: withdrawn ? "" : TextExcerpt.of(opening),
                waits: kind == .blog && !visible)
        }
        var next: TopicCursor? = nil
        if rows.count > limit, let last = entries.last { next = TopicCursor(lastActivityAt: last.createdAt, id: last.topicID) }
        return (entries, next)
    }

    /// How closely the viewer follows a member's blog (normal without a row).
    static func followLevel(of memberID: UUID, author authorID: UUID, on db: any Database) async throws -> WatchLevel {
        let row = try await (db as! any SQLDatabase).raw(
            """
            SELECT level FROM blog_follows WHERE member_id = \(bind: memberID) AND author_id = \(bind: authorID)
            """
        ).first()
        return try row.map { try $0.decode(column: "level", as: WatchLevel.self) } ?? .normal
    }

    /// Sets the level; normal removes the row (the default needs none).
    static func setFollowLevel(_ level: WatchLevel, of memberID: UUID, author authorID: UUID, now: Date, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM blog_follows WHERE member_id = \(bind: memberID) AND author_id = \(bind: authorID)").run()
        guard level != .normal else { return }
        try await sql.raw(
            """
            INSERT INTO blog_follows (id, member_id, author_id, level, created_at)
            VALUES (\(bind: UUID()), \(bind: memberID), \(bind: authorID), \(bind: level.rawValue), \(bind: now))
            """
        ).run()
    }

    /// Followers who want every new entry, and those who muted the author's blog.
    static func followers(of authorID: UUID, on db: any Database) async throws -> (watching: [UUID], muted: Set<UUID>) {
        var watching: [UUID] = []
        var muted = Set<UUID>()
        for row in try await (db as! any SQLDatabase).raw(
            "SELECT member_id, level FROM blog_follows WHERE author_id = \(bind: authorID)"
        ).all() {
            let id = try row.decode(column: "member_id", as: UUID.self)
            switch try row.decode(column: "level", as: WatchLevel.self) {
            case .watching: watching.append(id)
            case .muted: muted.insert(id)
            case .normal: break
            }
        }
        return (watching, muted)
    }
}
