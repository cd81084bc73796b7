import Fluent
import Vapor

/// One private message. Never screened, never in the forum's search; the trigger rules still
/// run on it when it is sent (`Publisher`).
final class Message: Model, @unchecked Sendable {
    static let schema = "messages"

    /// The longest message accepted.
    static let bodyLimit = 10_000
    /// Messages on one page of a conversation; older ones by keyset.
    static let pageSize = 50
    /// What a moderator sees of a reported message's conversation: the message and this many before it.
    static let reportContext = 10

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "conversation_id") var conversationID: Int
    /// Nil once the author's row is gone (never in practice: erasure keeps the row).
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "body_markdown") var bodyMarkdown: String
    @Field(key: "body_html") var bodyHTML: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(conversationID: Int, authorID: UUID, markdown: String, html: String, now: Date) {
        self.conversationID = conversationID
        self.authorID = authorID
        self.bodyMarkdown = markdown
        self.bodyHTML = html
        self.createdAt = now
    }
}
