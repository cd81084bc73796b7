import Fluent
import SQLKit
import TextRules
import Vapor

/// Starts a topic: the topic row and its first post, in one transaction.
struct StartTopic {
    let request: Request

    func run(category: Category, title: String, body: String, author: Member, safety: SafetyOutcome = SafetyOutcome()) async throws -> Topic {
        let now = request.connect.clock.now()
        let html = MarkdownCooker().cook(body)
        let authorID = try author.requireID()
        return try await request.db.transaction { db in
            let topic = Topic()
            topic.categoryID = try category.requireID()
            topic.authorID = authorID
            topic.title = title
            topic.createdAt = now
            topic.lastActivityAt = now
            topic.lastPostNumber = 1
            topic.replyCount = 0
            topic.pinned = false
            topic.closed = false
            // A topic whose opening post is held stays out of lists until a moderator releases it.
            topic.visible = !safety.held
            try await topic.create(on: db)
            let post = try await ForumWrites.insertPost(topicID: topic.requireID(), number: 1, authorID: authorID, markdown: body, html: html,
                                                        screening: safety.held ? .held : .unscreened, now: now, on: db)
            if !safety.held { try await SearchIndex(database: db).index(postID: post.requireID(), title: title, body: body) }
            try await SafetyWrites.apply(safety, post: post, topicTitle: title, author: author, request: request, on: db)
            try await WelcomeQueue.noteFirstPost(post, author: author, on: db, now: now)
            if !safety.held { try await Notifier.postPublished(post, topic: topic, author: author, on: db, now: now) }
            try await ForumWrites.markRead(memberID: authorID, topicID: topic.requireID(), upTo: 1, now: now, on: db)
            try await ParticipationEvent(memberID: authorID, kind: .postTopic, topicID: topic.id, postID: post.id, otherMemberID: nil, createdAt: now).create(on: db)
            return topic
        }
    }
}

/// Adds a reply to a topic; the post number comes from an atomic counter on the topic.
struct ReplyToTopic {
    let request: Request

    /// `welcoming`: the member whose first post this reply welcomes (they get a "welcome" notification).
    func run(topic: Topic, body: String, author: Member, quotedAuthorID: UUID?, safety: SafetyOutcome = SafetyOutcome(),
             welcoming: UUID? = nil) async throws -> Post {
        let now = request.connect.clock.now()
        let html = MarkdownCooker().cook(body)
        let authorID = try author.requireID()
        let topicID = try topic.requireID()
        return try await request.db.transaction { db in
            let sql = db as! any SQLDatabase
            guard let row = try await sql.raw("""
                UPDATE topics SET last_post_number = last_post_number + 1, reply_count = reply_count + 1,
                  last_activity_at = \(bind: now) WHERE id = \(bind: topicID) RETURNING last_post_number
                """).first() else { throw AppError.notFound }
            let number = try row.decode(column: "last_post_number", as: Int.self)
            let post = try await ForumWrites.insertPost(topicID: topicID, number: number, authorID: authorID, markdown: body, html: html,
                                                        screening: safety.held ? .held : .unscreened, now: now, on: db)
            if !safety.held { try await SearchIndex(database: db).index(postID: post.requireID(), title: "", body: body) }
            try await SafetyWrites.apply(safety, post: post, topicTitle: topic.title, author: author, request: request, on: db)
            try await WelcomeQueue.noteFirstPost(post, author: author, on: db, now: now)
            if !safety.held {
                try await Notifier.postPublished(post, topic: topic, author: author, welcoming: welcoming, on: db, now: now)
            }
            try await ForumWrites.markRead(memberID: authorID, topicID: topicID, upTo: number, now: now, on: db)
            let other = quotedAuthorID ?? topic.authorID
            try await ParticipationEvent(memberID: authorID, kind: .reply, topicID: topicID, postID: post.id,
                                         otherMemberID: other == authorID ? nil : other, createdAt: now).create(on: db)
            return post
        }
    }
}

/// Edits one's own post; the earlier version is kept for moderators.
struct EditPost {
    let request: Request

    func run(post: Post, topic: Topic, title: String?, body: String, author: Member, safety: SafetyOutcome = SafetyOutcome()) async throws {
        let now = request.connect.clock.now()
        try await request.db.transaction { db in
            try await PostRevision(of: post, at: now).create(on: db)
            post.bodyMarkdown = body
            post.bodyHTML = MarkdownCooker().cook(body)
            post.editedAt = now
            // An edit that hits a "hold" rule waits for a moderator like a new post would.
            if safety.held { post.screening = .held }
            try await post.save(on: db)
            if safety.held && post.number == 1 { try await PostModeration.setTopicVisible(topic.requireID(), false, on: db) }
            try await SafetyWrites.apply(safety, post: post, topicTitle: title ?? topic.title, author: author, request: request, on: db)
            if let title, post.number == 1 {
                topic.title = title
                try await topic.save(on: db)
            }
            if safety.held {
                try await SearchIndex(database: db).remove(postID: post.requireID())
            } else {
                try await SearchIndex(database: db).index(postID: post.requireID(), title: post.number == 1 ? topic.title : "", body: body)
            }
        }
    }
}

/// Removes one's own post: members see "removed by the author"; moderators still see the text.
struct RemoveOwnPost {
    let request: Request

    func run(post: Post) async throws {
        try await request.db.transaction { db in
            post.screening = .removed
            try await post.save(on: db)
            try await SearchIndex(database: db).remove(postID: post.requireID())
        }
    }
}

/// Toggles a reaction on someone else's post.
struct ToggleReaction {
    let request: Request

    func run(post: Post, kind: Reaction.Kind, member: Member) async throws {
        let memberID = try member.requireID()
        let postID = try post.requireID()
        let now = request.connect.clock.now()
        try await request.db.transaction { db in
            if let existing = try await Reaction.query(on: db).filter(\.$postID == postID).filter(\.$memberID == memberID)
                .filter(\.$kind == kind).first() {
                try await existing.delete(on: db)
            } else {
                try await Reaction(postID: postID, memberID: memberID, kind: kind, createdAt: now).create(on: db)
                try await Notifier.reacted(to: post, by: memberID, on: db, now: now)
                try await ParticipationEvent(memberID: memberID, kind: .react, topicID: post.topicID, postID: postID,
                                             otherMemberID: post.authorID, createdAt: now).create(on: db)
            }
        }
    }
}

/// Shared writes of the forum services.
enum ForumWrites {
    static func insertPost(topicID: Int, number: Int, authorID: UUID, markdown: String, html: String,
                           screening: Screening = .unscreened, now: Date, on db: any Database) async throws -> Post {
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

    /// Moves a member's read position forward (never back), in one statement.
    static func markRead(memberID: UUID, topicID: Int, upTo number: Int, now: Date, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            INSERT INTO read_states (id, member_id, topic_id, last_read_post_number, updated_at)
            VALUES (\(bind: UUID()), \(bind: memberID), \(bind: topicID), \(bind: number), \(bind: now))
            ON CONFLICT (member_id, topic_id) DO UPDATE SET
              last_read_post_number = CASE WHEN read_states.last_read_post_number < EXCLUDED.last_read_post_number
                                           THEN EXCLUDED.last_read_post_number ELSE read_states.last_read_post_number END,
              updated_at = EXCLUDED.updated_at
            """).run()
    }
}
