import Fluent
import SQLKit
import TextRules
import Vapor

/// Creates notifications, inside the transaction of the act that causes them. Each person
/// gets at most one notification per post, of the kind that concerns them most; nobody is
/// notified of their own acts, by someone they muted, or about a topic or theme they muted.
enum Notifier {
    /// A post became visible: its topic's author, quoted and mentioned members, and watchers hear of it.
    static func postPublished(
        _ post: Post, topic: Topic, author: Member, welcoming: UUID? = nil,
        on db: any Database, now: Date
    ) async throws {
        let authorID = try author.requireID()
        let postID = try post.requireID()
        let topicID = try topic.requireID()
        var wanted = [UUID: Notification.Kind]()
        func offer(_ id: UUID, _ kind: Notification.Kind) {
            guard id != authorID else { return }
            if let existing = wanted[id], existing.weight <= kind.weight { return }
            wanted[id] = kind
        }
        if post.number > 1 { offer(topic.authorID, .reply) }
        if let welcoming { offer(welcoming, .welcome) }

        // Quoted and mentioned names, looked up together.
        let quoted = Mentions.quotedNames(in: post.bodyMarkdown)
        let mentioned = Mentions.names(in: post.bodyMarkdown)
        let keys = Set((quoted + mentioned).map(Member.key(forPseudonym:)))
        if !keys.isEmpty {
            let named = try await Member.query(on: db).filter(\.$pseudonymKey ~~ Array(keys)).filter(\.$closedAt == nil).all()
            for member in named {
                guard let id = member.id else { continue }
                if quoted.contains(where: { Member.key(forPseudonym: $0) == member.pseudonymKey }) { offer(id, .quote) }
                if mentioned.contains(where: { Member.key(forPseudonym: $0) == member.pseudonymKey }) { offer(id, .mention) }
            }
        }

        // Watchers of the topic or its theme; and who muted either.
        let sql = db as! any SQLDatabase
        var muted = Set<UUID>()
        for row in try await sql.raw(
            """
            SELECT member_id, level FROM topic_watches WHERE topic_id = \(bind: topicID)
            UNION ALL
            SELECT member_id, level FROM category_watches WHERE category_id = \(bind: topic.categoryID)
            """
        ).all() {
            let id = try row.decode(column: "member_id", as: UUID.self)
            switch WatchLevel(rawValue: try row.decode(column: "level", as: String.self)) {
            case .watching: offer(id, .watching)
            case .muted: muted.insert(id)
            default: break
            }
        }
        // A topic-level choice wins over the theme's: watching a topic in a muted theme still works.
        let topicLevels = try await TopicWatch.query(on: db).filter(\.$topicID == topicID).all()
        for watch in topicLevels where watch.level == .watching { muted.remove(watch.memberID) }
        for watch in topicLevels where watch.level == .muted { muted.insert(watch.memberID) }

        // A new blog entry: those who follow the author's blog (or muted it).
        if topic.kind == .blog && post.number == 1 {
            let followers = try await BlogQueries.followers(of: topic.authorID, on: db)
            for id in followers.watching { offer(id, .watching) }
            muted.formUnion(followers.muted)
        }

        let candidates = wanted.keys.filter { !muted.contains($0) }
        guard !candidates.isEmpty else { return }
        let mutedAuthor = Set(
            try await MemberMute.query(on: db).filter(\.$memberID ~~ candidates).filter(\.$mutedID == authorID).all().map(\.memberID))
        let recipients = candidates.filter { !mutedAuthor.contains($0) }
        try await create(
            recipients.map { ($0, wanted[$0]!) }, topicID: topicID, postID: postID, actorID: authorID,
            canSee: Guardian.isListed(topic), on: db, now: now)
    }

    /// Someone reacted to a post: its author hears of it, grouped per post while unread.
    static func reacted(to post: Post, by reactorID: UUID, on db: any Database, now: Date) async throws {
        let postID = try post.requireID()
        guard post.authorID != reactorID else { return }
        if try await MemberMute.query(on: db).filter(\.$memberID == post.authorID).filter(\.$mutedID == reactorID).first() != nil { return }
        let key = "reaction:\(postID)"
        if let open = try await Notification.query(on: db).filter(\.$memberID == post.authorID).filter(\.$groupKey == key)
            .filter(\.$readAt == nil).first()
        {
            open.count += 1
            open.actorID = reactorID
            open.updatedAt = now
            try await open.save(on: db)
            return
        }
        try await create(
            [(post.authorID, .reaction)], topicID: post.topicID, postID: postID, actorID: reactorID,
            groupKey: key, canSee: true, on: db, now: now)
    }

    /// A moderator acted on the member's content, or welcomed their first post.
    static func fromModerators(
        _ kind: Notification.Kind, to memberID: UUID, topicID: Int?, postID: Int?,
        emailed: Bool = false, on db: any Database, now: Date
    ) async throws {
        try await create(
            [(memberID, kind)], topicID: topicID, postID: postID, actorID: nil, canSee: true,
            alreadyEmailed: emailed, on: db, now: now)
    }

    /// A private message was sent: every other member of the conversation who has not left or
    /// muted it hears of it, one notification per conversation while unread (counted), never
    /// with the text. By email only as they chose for messages (never, by default; at most the digest).
    static func messageSent(in conversationID: Int, by senderID: UUID, on db: any Database, now: Date) async throws {
        let sql = db as! any SQLDatabase
        let recipients = try await sql.raw(
            """
            SELECT member_id FROM conversation_members
            WHERE conversation_id = \(bind: conversationID) AND member_id <> \(bind: senderID) AND left_at IS NULL AND muted = \(bind: false)
            """
        ).all().map { try $0.decode(column: "member_id", as: UUID.self) }
        guard !recipients.isEmpty else { return }
        let key = "message:\(conversationID)"
        let open = try await Notification.query(on: db).filter(\.$memberID ~~ recipients).filter(\.$groupKey == key).filter(\.$readAt == nil).all()
        for notification in open {
            notification.count += 1
            notification.actorID = senderID
            notification.updatedAt = now
            try await notification.save(on: db)
        }
        let told = Set(open.map(\.memberID))
        let members = try await Member.query(on: db).filter(\.$id ~~ recipients.filter { !told.contains($0) }).all()
        let prefs = try await NotificationPreferences.of(members.compactMap(\.id), on: db)
        for member in members {
            guard let id = member.id, !member.isClosed, member.isVerified else { continue }
            let notification = Notification(memberID: id, kind: .message, topicID: nil, postID: nil, actorID: senderID, now: now)
            notification.conversationID = conversationID
            notification.groupKey = key
            if let prefs = prefs[id] {
                (notification.emailState, notification.emailDueAt) = EmailPlan.decide(.message, for: member, prefs: prefs, now: now)
            }
            try await notification.create(on: db)
        }
    }

    /// A news item was published: each of these members hears of it, in one multi-row insert.
    /// By email only as they chose for team news (never, by default).
    static func news(topicID: Int, postID: Int?, to members: [Member], on db: any Database, now: Date) async throws {
        guard !members.isEmpty else { return }
        let prefs = try await NotificationPreferences.of(members.compactMap(\.id), on: db)
        let insert = (db as! any SQLDatabase).insert(into: Notification.schema)
            .columns("id", "member_id", "kind", "topic_id", "post_id", "count", "created_at", "updated_at", "email_state", "email_due_at")
        for member in members {
            guard let id = member.id else { continue }
            let plan = prefs[id].map { EmailPlan.decide(.news, for: member, prefs: $0, now: now) } ?? (.none, nil)
            insert.values(
                SQLBind(UUID()), SQLBind(id), SQLBind(Notification.Kind.news.rawValue), SQLBind(topicID), SQLBind(postID), SQLBind(1),
                SQLBind(now), SQLBind(now), SQLBind(plan.0.rawValue), SQLBind(plan.1))
        }
        try await insert.run()
    }

    /// Writes the rows, deciding for each whether and when it goes out by email.
    private static func create(
        _ recipients: [(UUID, Notification.Kind)], topicID: Int?, postID: Int?, actorID: UUID?,
        groupKey: String? = nil, canSee: Bool, alreadyEmailed: Bool = false,
        on db: any Database, now: Date
    ) async throws {
        let ids = recipients.map(\.0)
        let members = try await Member.query(on: db).filter(\.$id ~~ ids).all()
        let prefs = try await NotificationPreferences.of(ids, on: db)
        for member in members {
            guard let id = member.id, !member.isClosed, member.isVerified,
                let kind = recipients.first(where: { $0.0 == id })?.1
            else { continue }
            // A post in a topic waiting for release is seen by nobody yet but the team.
            if !canSee && !Guardian.canModerate(member) { continue }
            let notification = Notification(memberID: id, kind: kind, topicID: topicID, postID: postID, actorID: actorID, now: now)
            notification.groupKey = groupKey
            if alreadyEmailed {
                notification.emailState = .sent
            } else if let prefs = prefs[id] {
                (notification.emailState, notification.emailDueAt) = EmailPlan.decide(kind, for: member, prefs: prefs, now: now)
            }
            try await notification.create(on: db)
        }
    }
}

/// Whether, and when, a notification goes out by email.
enum EmailPlan {
    static func decide(
        _ kind: Notification.Kind, for member: Member, prefs: NotificationPreferences,
        now: Date
    ) -> (Notification.EmailState, Date?) {
        // A member on a break receives nothing; what happens waits in the app.
        if member.isOnBreak(at: now) || member.isClosed { return (.none, nil) }
        switch prefs.frequency(for: kind.channel) {
        case .never: return (.none, nil)
        case .daily: return (.daily, DigestSchedule.next(after: now, zone: member.zone, quiet: prefs.quietHours, weekly: false))
        case .weekly: return (.weekly, DigestSchedule.next(after: now, zone: member.zone, quiet: prefs.quietHours, weekly: true))
        case .immediately:
            let due = prefs.quietHours?.nextAllowed(after: now, in: member.zone) ?? now
            return (.immediate, due)
        }
    }
}
