import Fluent
import Vapor

/// An act of a moderator on a member or on their content. The member sees these, with the
/// reason, on their notices page; the audit log keeps them too.
final class ModerationAction: Model, @unchecked Sendable {
    static let schema = "moderation_actions"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case hide
        case restore
        case remove
        case edit
        case refer
        case message
        case warn
        case silence
        case suspend
        case lift
    }

    /// "Until further notice": a date no one will reach, so one comparison serves both.
    static let indefinitely = Date(timeIntervalSince1970: 32_503_680_000)  // 3000-01-01

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "moderator_id") var moderatorID: UUID?
    @Field(key: "kind") var kind: Kind
    @Field(key: "member_id") var memberID: UUID
    @OptionalField(key: "post_id") var postID: Int?
    @Field(key: "reason") var reason: String
    @OptionalField(key: "until") var until: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(moderatorID: UUID?, kind: Kind, memberID: UUID, postID: Int?, reason: String, until: Date?, createdAt: Date) {
        self.moderatorID = moderatorID
        self.kind = kind
        self.memberID = memberID
        self.postID = postID
        self.reason = reason
        self.until = until
        self.createdAt = createdAt
    }
}
