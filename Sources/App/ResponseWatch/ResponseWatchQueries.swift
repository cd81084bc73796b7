import Fluent
import SQLKit
import Vapor

/// A member's topic that nobody else has replied to, past the time it may wait.
struct WaitingTopic: Sendable, Equatable {
    let id: Int
    let title: String
    let createdAt: Date
    let authorID: UUID
    let authorPseudonym: String
    let categoryNameNL: String
    let categoryNameEN: String
    /// The member's first topic: it waits a shorter time.
    let firstTopic: Bool

    func categoryName(_ locale: AppLocale) -> String { locale == .nl ? categoryNameNL : categoryNameEN }
}

/// A topic of the last weeks with when someone else first replied, for the dashboard's figures.
struct ResponseTime: Sendable {
    let createdAt: Date
    let firstResponseAt: Date?
    let firstTopic: Bool
}

/// The safety net's SQL: topics waiting for a response, response times, and the care note.
///
/// A topic waits while no post by anyone but its author is public: a reply by a moderator is
/// a reply; the author's own follow-ups are not; a hidden, held or removed reply is not seen
/// and so does not count. Computed on every read, so it cannot go stale: a topic leaves the
/// list with the first reply.
enum ResponseWatchQueries {
    /// The moments that decide whether a topic waits (see `ResponseWatch.cutoffs`).
    struct Cutoffs: Sendable {
        /// Topics opened before this are not looked at.
        let from: Date
        /// A first topic opened before this waits.
        let firstTopicBefore: Date
        /// Any other topic opened before this waits.
        let otherTopicBefore: Date
    }

    /// "This topic is the author's first": no earlier topic by them (the ix_topics_author index).
    private static let firstTopicSQL: SQLQueryString =
        "NOT EXISTS (SELECT 1 FROM topics o WHERE o.author_id = t.author_id AND o.id < t.id)"

    /// "Nobody but the author has replied where members can read it."
    private static let unansweredSQL: SQLQueryString =
        "NOT EXISTS (SELECT 1 FROM posts r WHERE r.topic_id = t.id AND r.author_id <> t.author_id AND \(Guardian.isPublicSQL(post: "r")))"

    /// The topics waiting now, oldest first (or newest first), and how many there are in all
    /// (one query). With a viewer: not their own topics, nor topics, themes or members they muted.
    static func waiting(_ cutoffs: Cutoffs, viewer: UUID? = nil, newestFirst: Bool = false, limit: Int, on db: any Database) async throws -> (
        topics: [WaitingTopic], total: Int
    ) {
        var conditions: [SQLQueryString] = [
            "t.created_at >= \(bind: cutoffs.from)", "t.created_at < \(bind: cutoffs.firstTopicBefore)",
            Guardian.isListedInForumSQL(topic: "t"), "t.closed = \(bind: false)",
            // Members' topics; an author who left (text withdrawn or not) has nobody to answer.
            "m.role = \(bind: Role.member.rawValue)", "m.closed_at IS NULL", "NOT \(Guardian.hasWithdrawnTextSQL(member: "m"))",
            "(t.created_at < \(bind: cutoffs.otherTopicBefore) OR \(firstTopicSQL))",
            unansweredSQL,
        ]
        if let viewer {
            let muted = WatchLevel.muted.rawValue
            conditions += [
                "t.author_id <> \(bind: viewer)",
                "NOT EXISTS (SELECT 1 FROM topic_watches w WHERE w.member_id = \(bind: viewer) AND w.topic_id = t.id AND w.level = \(bind: muted))",
                """
                NOT EXISTS (SELECT 1 FROM category_watches cw WHERE cw.member_id = \(bind: viewer) AND cw.category_id = t.category_id \
                AND cw.level = \(bind: muted))
                """,
                "NOT EXISTS (SELECT 1 FROM member_mutes mm WHERE mm.member_id = \(bind: viewer) AND mm.muted_id = t.author_id)",
            ]
        }
        let whereClause = conditions.dropFirst().reduce(conditions[0]) { "\($0) AND \($1)" }
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT t.id, t.title, t.created_at, t.author_id, m.pseudonym, c.name_nl, c.name_en,
                   CASE WHEN \(firstTopicSQL) THEN 1 ELSE 0 END AS first_topic, COUNT(*) OVER () AS total
            FROM topics t JOIN members m ON m.id = t.author_id JOIN categories c ON c.id = t.category_id
            WHERE \(whereClause)
            ORDER BY \(unsafeRaw: newestFirst ? "t.created_at DESC, t.id DESC" : "t.created_at, t.id") LIMIT \(bind: limit)
            """
        ).all()
        let topics = try rows.map { row in
            WaitingTopic(
                id: try row.decode(column: "id", as: Int.self),
                title: try row.decode(column: "title", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                authorID: try row.decode(column: "author_id", as: UUID.self),
                authorPseudonym: try row.decode(column: "pseudonym", as: String.self),
                categoryNameNL: try row.decode(column: "name_nl", as: String.self),
                categoryNameEN: try row.decode(column: "name_en", as: String.self),
                firstTopic: try row.decode(column: "first_topic", as: Int.self) == 1)
        }
        return (topics, try rows.first?.decode(column: "total", as: Int.self) ?? 0)
    }

    /// Members' topics opened since `from`, each with the moment of the first reply by someone
    /// else (if any), in one query: the first reply is the first by number, read from the
    /// (topic_id, number) index until it is found.
    static func responseTimes(since from: Date, on db: any Database) async throws -> [ResponseTime] {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT t.created_at,
                   (SELECT r.created_at FROM posts r WHERE r.topic_id = t.id AND r.author_id <> t.author_id
                      AND \(Guardian.isPublicSQL(post: "r")) ORDER BY r.number LIMIT 1) AS first_response_at,
                   CASE WHEN \(firstTopicSQL) THEN 1 ELSE 0 END AS first_topic
            FROM topics t JOIN members m ON m.id = t.author_id
            WHERE t.created_at >= \(bind: from) AND \(Guardian.isListedInForumSQL(topic: "t")) AND m.role = \(bind: Role.member.rawValue)
            """
        ).all().map { row in
            ResponseTime(
                createdAt: try row.decode(column: "created_at", as: Date.self),
                firstResponseAt: try row.decode(column: "first_response_at", as: Date?.self),
                firstTopic: try row.decode(column: "first_topic", as: Int.self) == 1)
        }
    }

    // MARK: Care for those who care

    /// The review items that make a topic heavy: a crisis alert (which always comes with a crisis
    /// item) or a trigger rule's flag (concern).
    static let heavyKinds: [ReviewItem.Kind] = [.crisis, .trigger]

    /// "Someone other than the member raised a crisis or concern flag in this post's topic."
    private static func heavySQL(topic alias: String, apartFrom memberID: UUID) -> SQLQueryString {
        """
        EXISTS (SELECT 1 FROM posts p JOIN review_items i ON i.post_id = p.id WHERE p.topic_id = \(unsafeRaw: alias).topic_id \
        AND i.kind IN (\(binds: heavyKinds.map(\.rawValue))) AND (i.member_id IS NULL OR i.member_id <> \(bind: memberID)))
        """
    }

    /// Whether the topic of `post` is heavy for the member who replied in it.
    static func isHeavy(topicOf postID: Int, apartFrom memberID: UUID, on db: any Database) async throws -> Bool {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT 1 AS heavy FROM posts x WHERE x.id = \(bind: postID) AND \(heavySQL(topic: "x", apartFrom: memberID))
            """
        ).first() != nil
    }

    /// In how many heavy topics of others the member replied (visibly) since `since`.
    static func heavyTopicsRepliedTo(by memberID: UUID, since: Date, on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT COUNT(DISTINCT r.topic_id) AS n FROM posts r JOIN topics t ON t.id = r.topic_id
            WHERE r.author_id = \(bind: memberID) AND r.number > 1 AND r.created_at >= \(bind: since)
              AND t.author_id <> \(bind: memberID) AND \(Guardian.isPublicSQL(post: "r")) AND \(heavySQL(topic: "r", apartFrom: memberID))
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Gives the member the care note unless they had one since `notSince`; true when this
    /// call gave it (a conditional update: two replies at once give one note).
    static func giveCareNote(to memberID: UUID, now: Date, notSince: Date, on db: any Database) async throws -> Bool {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE members SET care_note_at = \(bind: now), care_note_closed_at = NULL
            WHERE id = \(bind: memberID) AND (care_note_at IS NULL OR care_note_at < \(bind: notSince)) RETURNING id
            """
        ).all().count == 1
    }

    /// The member closes their care note.
    static func closeCareNote(of memberID: UUID, now: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw(
            """
            UPDATE members SET care_note_closed_at = \(bind: now) WHERE id = \(bind: memberID) AND care_note_at IS NOT NULL
            """
        ).run()
    }
}
