import Fluent
import Foundation
import SQLKit

/// A conversation as the member's list shows it.
struct ConversationRow: Sendable {
    let id: Int
    let fromModerators: Bool
    let lastMessageAt: Date
    let unread: Bool
    let muted: Bool
    /// The other members' shown names (empty for one who left the site: "former member").
    var others: [String] = []
    /// The newest message's opening, and who wrote it (nil for the viewer themselves).
    let lastExcerpt: String
    let lastAuthor: String?
}

/// A message as a conversation page shows it.
struct MessageRow: Sendable {
    let id: Int
    let authorID: UUID?
    /// Empty for someone who left the site.
    let authorName: String
    let authorRole: Role
    let html: String
    let createdAt: Date
    /// The author left and their text was erased.
    var erased: Bool { html.isEmpty }
}

/// The private messages' SQL: one query per list or page, whatever its length. Access always
/// goes through the viewer's own membership row (`Guardian.isInConversationSQL`).
enum MessageQueries {
    /// As many as a topic list: the member's unread ones are always on the first page.
    static let listSize = 30

    /// The member's conversations: unread first, then the latest, keyset on (unread, last
    /// message, id) after `cursor` (`afterUnread`: whether the cursor's conversation was unread);
    /// the other members' names in one more query.
    static func conversations(
        of viewer: Member, after cursor: TopicCursor?, afterUnread: Bool = false, limit: Int = listSize, on db: any Database
    ) async throws -> (rows: [ConversationRow], next: TopicCursor?, nextUnread: Bool) {
        let sql = db as! any SQLDatabase
        var conditions: [SQLQueryString] = [Guardian.isInConversationSQL(membership: "cm", viewer: viewer)]
        if let cursor {
            let later: SQLQueryString =
                "(c.last_message_at < \(bind: cursor.lastActivityAt) OR (c.last_message_at = \(bind: cursor.lastActivityAt) AND c.id < \(bind: cursor.id)))"
            let unread: SQLQueryString = "c.last_message_id > cm.last_read_message_id"
            conditions.append(afterUnread ? "((\(unread) AND \(later)) OR NOT \(unread))" : "(NOT \(unread) AND \(later))")
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        // The page's conversations first, then their last message and its writer for those
        // few only (not for every conversation the member is in).
        let rows = try await sql.raw(
            """
            SELECT p.id, p.from_moderators, p.last_message_at, p.muted, p.unread,
                   SUBSTR(m.body_markdown, 1, 300) AS opening, \(unsafeRaw: Member.shownName("a")) AS last_author, m.author_id AS last_author_id
            FROM (
                SELECT c.id, c.from_moderators, c.last_message_at, c.last_message_id, cm.muted,
                       CASE WHEN c.last_message_id > cm.last_read_message_id THEN 1 ELSE 0 END AS unread
                FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
                WHERE \(whereClause)
                ORDER BY CASE WHEN c.last_message_id > cm.last_read_message_id THEN 0 ELSE 1 END, c.last_message_at DESC, c.id DESC
                LIMIT \(bind: limit + 1)
            ) p
            LEFT JOIN messages m ON m.id = p.last_message_id
            LEFT JOIN members a ON a.id = m.author_id
            ORDER BY p.unread DESC, p.last_message_at DESC, p.id DESC
            """
        ).all()
        var list = try rows.prefix(limit).map { row in
            ConversationRow(
                id: try row.decode(column: "id", as: Int.self),
                fromModerators: try row.decode(column: "from_moderators", as: Bool.self),
                lastMessageAt: try row.decode(column: "last_message_at", as: Date.self),
                unread: try row.decode(column: "unread", as: Int.self) == 1,
                muted: try row.decode(column: "muted", as: Bool.self),
                lastExcerpt: TextExcerpt.of(try row.decode(column: "opening", as: String?.self) ?? "", limit: 120),
                lastAuthor: try row.decode(column: "last_author_id", as: UUID?.self) == viewer.id
                    ? nil : try row.decode(column: "last_author", as: String?.self) ?? "")
        }
        let ids = list.map(\.id)
        if !ids.isEmpty {
            var names = [Int: [String]]()
            for row in try await sql.raw(
                """
                SELECT cm.conversation_id, \(unsafeRaw: Member.shownName("m")) AS name FROM conversation_members cm
                JOIN members m ON m.id = cm.member_id
                WHERE cm.conversation_id IN (\(binds: ids)) AND cm.member_id <> \(bind: viewer.id ?? UUID()) AND cm.left_at IS NULL
                ORDER BY cm.joined_at
                """
            ).all() {
                names[try row.decode(column: "conversation_id", as: Int.self), default: []].append(try row.decode(column: "name", as: String.self))
            }
            for i in list.indices { list[i].others = names[list[i].id] ?? [] }
        }
        let next = rows.count > limit ? list.last.map { TopicCursor(lastActivityAt: $0.lastMessageAt, id: $0.id) } : nil
        return (list, next, list.last?.unread ?? false)
    }

    /// The conversation and the viewer's membership row (nil when they never were in it), in
    /// one query and without model reflection: every message page and stream round asks.
    static func conversation(_ id: Int, viewer: Member, on db: any Database) async throws -> (Conversation, ConversationMember?)? {
        guard
            let row = try await (db as! any SQLDatabase).raw(
                """
                SELECT c.id, c.started_by, c.created_at, c.last_message_at, c.last_message_id, c.from_moderators,
                       cm.id AS cm_id, cm.joined_at, cm.left_at, cm.muted, cm.last_read_message_id
                FROM conversations c
                LEFT JOIN conversation_members cm ON cm.conversation_id = c.id AND cm.member_id = \(bind: viewer.id ?? UUID())
                WHERE c.id = \(bind: id)
                """
            ).first()
        else { return nil }
        let conversation = Conversation()
        conversation.id = try row.decode(column: "id", as: Int.self)
        conversation.startedBy = try row.decode(column: "started_by", as: UUID?.self)
        conversation.createdAt = try row.decode(column: "created_at", as: Date.self)
        conversation.lastMessageAt = try row.decode(column: "last_message_at", as: Date.self)
        conversation.lastMessageID = try row.decode(column: "last_message_id", as: Int.self)
        conversation.fromModerators = try row.decode(column: "from_moderators", as: Bool.self)
        conversation.$id.exists = true
        guard let membershipID = try row.decode(column: "cm_id", as: UUID?.self) else { return (conversation, nil) }
        let membership = ConversationMember()
        membership.id = membershipID
        membership.conversationID = id
        membership.memberID = viewer.id ?? UUID()
        membership.joinedAt = try row.decode(column: "joined_at", as: Date.self)
        membership.leftAt = try row.decode(column: "left_at", as: Date?.self)
        membership.muted = try row.decode(column: "muted", as: Bool.self)
        membership.lastReadMessageID = try row.decode(column: "last_read_message_id", as: Int.self)
        membership.$id.exists = true
        return (conversation, membership)
    }

    /// A member of a conversation as its page shows them.
    struct Participant: Sendable {
        let id: UUID
        let name: String
        let role: Role
        /// They blocked the viewer (in a conversation of two, the viewer cannot write).
        let blocksViewer: Bool
    }

    /// The conversation's members who have not left, with their names, roles and whether they
    /// blocked the viewer: one query.
    static func participants(of conversationID: Int, viewerID: UUID, on db: any Database) async throws -> [Participant] {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT m.id, \(unsafeRaw: Member.shownName("m")) AS name, \(unsafeRaw: Member.shownRole("m")) AS role,
                   CASE WHEN EXISTS (SELECT 1 FROM message_blocks b WHERE b.member_id = m.id AND b.blocked_id = \(bind: viewerID)) THEN 1 ELSE 0 END AS blocks_viewer
            FROM conversation_members cm JOIN members m ON m.id = cm.member_id
            WHERE cm.conversation_id = \(bind: conversationID) AND cm.left_at IS NULL ORDER BY cm.joined_at
            """
        ).all().map {
            Participant(
                id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                role: try $0.decode(column: "role", as: Role.self), blocksViewer: try $0.decode(column: "blocks_viewer", as: Int.self) == 1)
        }
    }

    /// In a conversation of two, whether the other blocked the viewer.
    static func blockedInPair(_ participants: [Participant]) -> Bool {
        participants.count <= 2 && participants.contains { $0.blocksViewer }
    }

    /// A page of messages, newest `limit` before `before` (or the latest), oldest first.
    static func messages(in conversationID: Int, before: Int?, limit: Int = Message.pageSize, on db: any Database) async throws -> [MessageRow] {
        let cursor = before.map { SQLQueryString("AND m.id < \(bind: $0)") } ?? SQLQueryString("")
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT m.id, m.author_id, m.body_html, m.created_at, \(unsafeRaw: Member.shownName("a")) AS author,
                   \(unsafeRaw: Member.shownRole("a")) AS author_role
            FROM messages m LEFT JOIN members a ON a.id = m.author_id
            WHERE m.conversation_id = \(bind: conversationID) \(cursor)
            ORDER BY m.id DESC LIMIT \(bind: limit)
            """
        ).all()
        return try rows.reversed().map(decodeMessage)
    }

    /// Messages after `after` (for live updates), oldest first.
    static func messagesAfter(_ after: Int, in conversationID: Int, limit: Int = 20, on db: any Database) async throws -> [MessageRow] {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT m.id, m.author_id, m.body_html, m.created_at, \(unsafeRaw: Member.shownName("a")) AS author,
                   \(unsafeRaw: Member.shownRole("a")) AS author_role
            FROM messages m LEFT JOIN members a ON a.id = m.author_id
            WHERE m.conversation_id = \(bind: conversationID) AND m.id > \(bind: after)
            ORDER BY m.id LIMIT \(bind: limit)
            """
        ).all().map(decodeMessage)
    }

    /// A reported message and the `count` before it in its conversation, oldest first.
    static func reportContext(of message: Message, count: Int = Message.reportContext, on db: any Database) async throws -> [MessageRow] {
        let id = try message.requireID()
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT m.id, m.author_id, m.body_html, m.created_at, \(unsafeRaw: Member.shownName("a")) AS author,
                   \(unsafeRaw: Member.shownRole("a")) AS author_role
            FROM messages m LEFT JOIN members a ON a.id = m.author_id
            WHERE m.conversation_id = \(bind: message.conversationID) AND m.id <= \(bind: id)
            ORDER BY m.id DESC LIMIT \(bind: count + 1)
            """
        ).all()
        return try rows.reversed().map(decodeMessage)
    }

    private static func decodeMessage(_ row: any SQLRow) throws -> MessageRow {
        let authorID = try row.decode(column: "author_id", as: UUID?.self)
        return MessageRow(
            id: try row.decode(column: "id", as: Int.self), authorID: authorID,
            authorName: try row.decode(column: "author", as: String?.self) ?? "",
            authorRole: authorID == nil ? .member : try row.decode(column: "author_role", as: Role.self),
            html: try row.decode(column: "body_html", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Date.self))
    }

    /// The viewer's own messages and those sent to them that hold `text`, newest first.
    static func search(_ text: String, viewer: Member, limit: Int = 30, on db: any Database) async throws -> [(
        conversationID: Int, message: MessageRow
    )] {
        let needle =
            "%"
            + text.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT m.conversation_id, m.id, m.author_id, m.body_html, m.created_at, \(unsafeRaw: Member.shownName("a")) AS author,
                   \(unsafeRaw: Member.shownRole("a")) AS author_role
            FROM conversation_members cm JOIN messages m ON m.conversation_id = cm.conversation_id
            LEFT JOIN members a ON a.id = m.author_id
            WHERE \(Guardian.isInConversationSQL(membership: "cm", viewer: viewer)) AND LOWER(m.body_markdown) LIKE \(bind: needle) ESCAPE '\\'
            ORDER BY m.id DESC LIMIT \(bind: limit)
            """
        ).all()
        return try rows.map { (try $0.decode(column: "conversation_id", as: Int.self), try decodeMessage($0)) }
    }

    /// Conversations with unread messages, for the header (muted ones left out).
    static func unreadCount(of memberID: UUID, on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT COUNT(*) AS n FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
            WHERE cm.member_id = \(bind: memberID) AND cm.left_at IS NULL AND cm.muted = \(bind: false)
              AND c.last_message_id > cm.last_read_message_id
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Whether the member's first post has been screened (or they have no need: the team).
    static func firstPostScreened(_ memberID: UUID, on db: any Database) async throws -> Bool {
        let row = try await (db as! any SQLDatabase).raw(
            """
            SELECT screening FROM posts WHERE author_id = \(bind: memberID) AND screening <> \(bind: Screening.journal.rawValue)
            ORDER BY id LIMIT 1
            """
        ).first()
        guard let row else { return false }
        return try row.decode(column: "screening", as: Screening.self) == .screened
    }

    /// The recipients' blocks of the sender, and whom of them the sender talked with before.
    static func reachability(of recipientIDs: [UUID], from senderID: UUID, on db: any Database) async throws -> (
        blockedBy: Set<UUID>, talkedWith: Set<UUID>
    ) {
        guard !recipientIDs.isEmpty else { return ([], []) }
        let sql = db as! any SQLDatabase
        let blocked = Set(
            try await sql.raw(
                "SELECT member_id FROM message_blocks WHERE blocked_id = \(bind: senderID) AND member_id IN (\(binds: recipientIDs))"
            ).all().map { try $0.decode(column: "member_id", as: UUID.self) })
        let talked = Set(
            try await sql.raw(
                """
                SELECT DISTINCT o.member_id FROM conversation_members me JOIN conversation_members o ON o.conversation_id = me.conversation_id
                WHERE me.member_id = \(bind: senderID) AND o.member_id IN (\(binds: recipientIDs))
                """
            ).all().map { try $0.decode(column: "member_id", as: UUID.self) })
        return (blocked, talked)
    }

    /// The members the viewer blocked, with their names.
    static func blocks(of memberID: UUID, on db: any Database) async throws -> [(id: UUID, name: String)] {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT m.id, \(unsafeRaw: Member.shownName("m")) AS name FROM message_blocks b JOIN members m ON m.id = b.blocked_id
            WHERE b.member_id = \(bind: memberID) ORDER BY b.created_at
            """
        ).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// Moves the member's read position to the newest message (never back).
    static func markRead(_ conversationID: Int, memberID: UUID, upTo messageID: Int, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE conversation_members SET last_read_message_id = \(bind: messageID)
            WHERE conversation_id = \(bind: conversationID) AND member_id = \(bind: memberID) AND last_read_message_id < \(bind: messageID)
            """
        ).run()
    }

    /// Reading a conversation settles its notifications.
    static func settleNotifications(_ conversationID: Int, memberID: UUID, now: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE notifications SET read_at = \(bind: now)
            WHERE member_id = \(bind: memberID) AND conversation_id = \(bind: conversationID) AND read_at IS NULL
            """
        ).run()
    }
}
