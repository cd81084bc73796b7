import Fluent
import Vapor

/// A member's place in a conversation: where they have read to, whether they muted it, and
/// when they left it (a member who left no longer sees it).
final class ConversationMember: Model, @unchecked Sendable {
    static let schema = "conversation_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "conversation_id") var conversationID: Int
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "joined_at") var joinedAt: Date
    @OptionalField(key: "left_at") var leftAt: Date?
    @Field(key: "muted") var muted: Bool
    @Field(key: "last_read_message_id") var lastReadMessageID: Int

    init() {}

    init(conversationID: Int, memberID: UUID, now: Date) {
        self.conversationID = conversationID
        self.memberID = memberID
        self.joinedAt = now
        self.muted = false
        self.lastReadMessageID = 0
    }
}
