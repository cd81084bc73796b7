import Fluent
import Vapor

/// "Thank you" or "I recognise this" from one member on one post.
public final class Reaction: Model, @unchecked Sendable {
    public static let schema = "reactions"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case thanks
        case recognise
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "post_id") public var postID: Int
    @Field(key: "member_id") public var memberID: UUID
    @Field(key: "kind") public var kind: Kind
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    init(postID: Int, memberID: UUID, kind: Kind, createdAt: Date) {
        self.postID = postID
        self.memberID = memberID
        self.kind = kind
        self.createdAt = createdAt
    }
}
