import Fluent
import Vapor

/// A member blocked another: the blocked member can no longer message them, and is not told.
final class MessageBlock: Model, @unchecked Sendable {
    static let schema = "message_blocks"

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "blocked_id") var blockedID: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(memberID: UUID, blockedID: UUID, now: Date) {
        self.memberID = memberID
        self.blockedID = blockedID
        self.createdAt = now
    }
}

/// Who may start a new conversation with a member (their choice, `members.message_policy`).
enum MessagePolicy: String, Codable, Sendable, CaseIterable {
    case everyone
    /// Only members they have been in a conversation with before.
    case known
    case nobody
}
