import Fluent
import Vapor

/// A private conversation between two to five members, or between a member and the
/// moderators (`fromModerators`: every moderator may read and answer it, as the team).
final class Conversation: Model, @unchecked Sendable {
    static let schema = "conversations"

    /// Members in one conversation, the starter included.
    static let maxMembers = 5

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @OptionalField(key: "started_by") var startedBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_message_at") var lastMessageAt: Date
    @Field(key: "last_message_id") var lastMessageID: Int
    @Field(key: "from_moderators") var fromModerators: Bool

    init() {}

    init(startedBy: UUID, fromModerators: Bool, now: Date) {
        self.startedBy = startedBy
        self.createdAt = now
        self.lastMessageAt = now
        self.lastMessageID = 0
        self.fromModerators = fromModerators
    }
}
