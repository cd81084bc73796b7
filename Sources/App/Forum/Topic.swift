import Fluent
import Vapor

/// A discussion in a category. Counters are kept on the row so lists need no aggregation.
public final class Topic: Model, @unchecked Sendable {
    public static let schema = "topics"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "category_id") public var categoryID: Int
    @Field(key: "author_id") public var authorID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "created_at") public var createdAt: Date
    /// When the last visible post was written; lists sort on it.
    @Field(key: "last_activity_at") public var lastActivityAt: Date
    /// The number of the newest post (1 for a topic without replies).
    @Field(key: "last_post_number") public var lastPostNumber: Int
    @Field(key: "reply_count") public var replyCount: Int
    @Field(key: "pinned") public var pinned: Bool
    @Field(key: "closed") public var closed: Bool
    /// Hidden or removed with its opening post: members do not see it in lists.
    @Field(key: "visible") public var visible: Bool
    /// A forum discussion, or the comments' home of a news item or a blog entry.
    @Field(key: "kind") public var kind: TopicKind

    public init() {}

    public init(kind: TopicKind) { self.kind = kind }

    /// A new topic of a kind with its opening post still to write: one post, no replies, not
    /// pinned; `closed` (comments off) and `visible` as the caller decides.
    convenience init(kind: TopicKind, categoryID: Int, authorID: UUID, title: String, at created: Date, closed: Bool = false, visible: Bool) {
        self.init(kind: kind)
        self.categoryID = categoryID
        self.authorID = authorID
        self.title = title
        self.createdAt = created
        self.lastActivityAt = created
        self.lastPostNumber = 1
        self.replyCount = 0
        self.pinned = false
        self.closed = closed
        self.visible = visible
    }
}

/// What a topic holds. News items and blog entries are topics so that their comments are posts,
/// with every rule posts have; only forum topics show in the forum's lists.
public enum TopicKind: String, Codable, Sendable, CaseIterable {
    case forum
    /// A news item or publication by the team (its opening post is the item's text).
    case news
    /// A blog entry every member may read.
    case blog
    /// A blog entry only its author reads: a private journal, never shown to anyone else.
    case journal
}
