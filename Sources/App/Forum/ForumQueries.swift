import Fluent
import SQLKit
import Vapor

/// The forum's SQL writes that are not a plain model save.
enum ForumQueries {
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

    /// The next post number of a topic, from an atomic counter on the topic (two replies at
    /// once never share a number); also counts the reply and the topic's latest activity.
    static func takeNextPostNumber(in topicID: Int, now: Date, on db: any Database) async throws -> Int {
        guard let row = try await (db as! any SQLDatabase).raw("""
            UPDATE topics SET last_post_number = last_post_number + 1, reply_count = reply_count + 1,
              last_activity_at = \(bind: now) WHERE id = \(bind: topicID) RETURNING last_post_number
            """).first() else { throw AppError.notFound }
        return try row.decode(column: "last_post_number", as: Int.self)
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
