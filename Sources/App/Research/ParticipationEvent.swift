import Fluent
import Vapor

/// An append-only record of taking part (reading, posting, responding, reacting), behind the
/// research figures. Research exports pseudonymise the member id.
public final class ParticipationEvent: Model, @unchecked Sendable {
    public static let schema = "participation_events"

    public enum Kind: String, Codable, Sendable {
        case readTopic = "read_topic"
        case postTopic = "post_topic"
        case reply = "reply"
        case react = "react"
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "member_id") public var memberID: UUID
    @Field(key: "kind") public var kind: Kind
    @OptionalField(key: "topic_id") public var topicID: Int?
    @OptionalField(key: "post_id") public var postID: Int?
    /// For a reply or reaction: whose post it answered, so "responding to others" can be told apart.
    @OptionalField(key: "other_member_id") public var otherMemberID: UUID?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    init(memberID: UUID, kind: Kind, topicID: Int?, postID: Int?, otherMemberID: UUID?, createdAt: Date) {
        self.memberID = memberID
        self.kind = kind
        self.topicID = topicID
        self.postID = postID
        self.otherMemberID = otherMemberID
        self.createdAt = createdAt
    }
}
