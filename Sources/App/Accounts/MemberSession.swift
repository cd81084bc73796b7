import Fluent
import Vapor

/// A login, stored in the database so several processes can serve one community.
/// The cookie holds a random token; the table holds only its hash.
public final class MemberSession: Model, @unchecked Sendable {
    public static let schema = "member_sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "member_id") public var member: Member
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date

    public init() {}

    public init(tokenHash: String, memberID: UUID, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.$member.id = memberID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
