import Fluent
import Vapor

/// An entry in a topic; number 1 opens the topic. The Markdown is cooked once, when saved.
public final class Post: Model, @unchecked Sendable {
    public static let schema = "posts"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "topic_id") public var topicID: Int
    @Field(key: "number") public var number: Int
    @Field(key: "author_id") public var authorID: UUID
    @Field(key: "body_markdown") public var bodyMarkdown: String
    @Field(key: "body_html") public var bodyHTML: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "edited_at") public var editedAt: Date?
    @Field(key: "screening") public var screening: Screening
    /// When and by whom a moderator screened (or hid) it: the screening-coverage figure.
    @OptionalField(key: "screened_at") public var screenedAt: Date?
    @OptionalField(key: "screened_by") public var screenedBy: UUID?
    /// Why a moderator hid it, shown to its author.
    @OptionalField(key: "moderation_reason") public var moderationReason: String?
    /// Set when a moderator edited the text; members see "edited by a moderator".
    @OptionalField(key: "moderator_edited_at") public var moderatorEditedAt: Date?
    /// When its author deleted it, and what it was before: the undo restores exactly that.
    @OptionalField(key: "removed_at") public var removedAt: Date?
    @OptionalField(key: "removed_from") public var removedFrom: Screening?

    public init() {}
}

/// Where a post stands with the moderators. Every post starts unscreened.
public enum Screening: String, Codable, Sendable, CaseIterable {
    case unscreened
    case screened
    case hidden
    /// Removed by its author; the text stays for moderators.
    case removed
    /// Removed by a moderator (a rule was broken); the text stays for moderators.
    case removedByModerator = "removed_by_moderator"
    /// Held by a trigger rule: not shown to members until a moderator releases it.
    case held
    /// A private journal entry: only its author reads it; never screened, indexed or alerted on.
    case journal
}
