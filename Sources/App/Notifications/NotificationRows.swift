import Fluent
import SQLKit
import Vapor

/// A notification as lists and mails show it: with the actor's name, the topic's title and
/// the post's number, read in one query with the rows.
struct NotificationRow: Sendable {
    let id: UUID
    let memberID: UUID
    let kind: Notification.Kind
    let count: Int
    let topicID: Int?
    let topicTitle: String?
    /// The English title of a news item written in both languages.
    var secondTitle: String? = nil
    /// The kind of the topic (forum, news, blog), for where the notification leads.
    var topicKind: TopicKind? = nil
    let postNumber: Int?
    /// A private conversation (new messages).
    var conversationID: Int? = nil
    /// Empty for someone who left, nil when no member acted (a moderator's action).
    let actorName: String?
    /// A moderator or administrator who acted carries a team badge beside their name.
    var actorRole: Role = .member
    /// The actor's avatar choice (`Avatar`).
    var actorAvatar: String? = nil
    let updatedAt: Date
    let readAt: Date?
    let emailState: Notification.EmailState

    /// The sentence that says what happened, in one language.
    func sentence(_ localizer: Localizer, _ locale: AppLocale) -> String {
        sentence(localizer, locale, name: actorName.map { $0.isEmpty ? localizer.text("member.former", locale) : $0 } ?? "")
    }

    /// The sentence split at the actor's name (before, name, after), so a page can set the team
    /// badge beside it; nil when the sentence names nobody.
    func sentenceAroundName(_ localizer: Localizer, _ locale: AppLocale) -> (before: String, name: String, after: String)? {
        guard let actorName, !actorName.isEmpty else { return nil }
        let parts = sentence(localizer, locale, name: "\u{1}").components(separatedBy: "\u{1}")
        guard parts.count == 2 else { return nil }
        return (parts[0], actorName, parts[1])
    }

    private func sentence(_ localizer: Localizer, _ locale: AppLocale, name: String) -> String {
        let topic = (locale == .en ? secondTitle : nil) ?? topicTitle ?? ""
        let values = ["name": name, "topic": topic]
        switch kind {
        case .reaction: return localizer.plural("notifications.text.reaction", count: count, locale, values)
        case .message: return localizer.plural("notifications.text.message", count: count, locale, values)
        case .moderator:
            return localizer.text(topicID == nil ? "notifications.text.moderator_message" : "notifications.text.moderator", locale, values)
        default: return localizer.text("notifications.text.\(kind.rawValue)", locale, values)
        }
    }

    /// Where it leads: the post in its topic, or the member's notices.
    var path: String {
        if let conversationID { return Paths.conversation(id: conversationID) }
        if kind == .research { return Paths.researchQuestionnaires }
        guard let topicID else { return "/notices" }
        guard let number = postNumber else { return Paths.topic(id: topicID) }
        return Paths.postNumber(number, inTopic: topicID, kind: topicKind ?? .forum)
    }
}

enum NotificationRows {
    static let select = """
        SELECT n.id, n.member_id, n.kind, n.count, n.topic_id, n.conversation_id, n.updated_at, n.read_at, n.email_state,
               t.title AS topic_title, t.kind AS topic_kind, ni.second_title, p.number AS post_number, a.id AS actor_id, \(Member.shownName("a")) AS actor_name,
               \(Member.shownRole("a")) AS actor_role, a.avatar_colour AS actor_avatar
        FROM notifications n
        LEFT JOIN topics t ON t.id = n.topic_id
        LEFT JOIN news_items ni ON ni.topic_id = n.topic_id
        LEFT JOIN posts p ON p.id = n.post_id
        LEFT JOIN members a ON a.id = n.actor_id
        """

    /// One notification, if it is the member's own.
    static func one(_ id: UUID, of memberID: UUID, on db: any Database) async throws -> NotificationRow? {
        try await (db as! any SQLDatabase).raw(
            """
            \(unsafeRaw: select) WHERE n.id = \(bind: id) AND n.member_id = \(bind: memberID)
            """
        ).first().map(decode)
    }

    static func decode(_ row: any SQLRow) throws -> NotificationRow {
        let actorID = try row.decode(column: "actor_id", as: UUID?.self)
        return NotificationRow(
            id: try row.decode(column: "id", as: UUID.self),
            memberID: try row.decode(column: "member_id", as: UUID.self),
            kind: try row.decode(column: "kind", as: Notification.Kind.self),
            count: try row.decode(column: "count", as: Int.self),
            topicID: try row.decode(column: "topic_id", as: Int?.self),
            topicTitle: try row.decode(column: "topic_title", as: String?.self),
            secondTitle: try row.decode(column: "second_title", as: String?.self),
            topicKind: try row.decode(column: "topic_kind", as: String?.self).map { raw in
                guard let kind = TopicKind(rawValue: raw) else { throw UnknownStoredValue(column: "topic_kind", value: raw) }
                return kind
            },
            postNumber: try row.decode(column: "post_number", as: Int?.self),
            conversationID: try row.decode(column: "conversation_id", as: Int?.self),
            actorName: actorID == nil ? nil : try row.decode(column: "actor_name", as: String?.self) ?? "",
            actorRole: actorID == nil ? .member : try row.decode(column: "actor_role", as: Role.self),
            actorAvatar: try row.decode(column: "actor_avatar", as: String?.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self),
            readAt: try row.decode(column: "read_at", as: Date?.self),
            emailState: try row.decode(column: "email_state", as: Notification.EmailState.self))
    }

    /// A member's notifications, newest first.
    static func recent(of memberID: UUID, limit: Int = 50, on db: any Database) async throws -> [NotificationRow] {
        try await (db as! any SQLDatabase).raw(
            """
            \(unsafeRaw: select) WHERE n.member_id = \(bind: memberID) ORDER BY n.updated_at DESC LIMIT \(bind: limit)
            """
        ).all().map(decode)
    }

    /// Unread notifications of a member.
    static func unreadCount(of memberID: UUID, on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT COUNT(*) AS n FROM notifications WHERE member_id = \(bind: memberID) AND read_at IS NULL
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

extension Request {
    /// Reading a topic settled its notifications: the header counts what is left, and the next
    /// page reads the session's counts from the database, not from the session cache.
    func recountNotifications(of viewer: Member) async throws {
        storage[UnreadNotificationsKey.self] = try await NotificationRows.unreadCount(of: viewer.requireID(), on: db)
        forgetCachedSession()
    }
}
