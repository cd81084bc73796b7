import Fluent
import Vapor

/// How far a member has read in a topic.
public final class ReadState: Model, @unchecked Sendable {
    public static let schema = "read_states"

    @ID(key: .id) public var id: UUID?
    @Field(key: "member_id") public var memberID: UUID
    @Field(key: "topic_id") public var topicID: Int
    @Field(key: "last_read_post_number") public var lastReadPostNumber: Int
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}
