import Fluent
import Vapor

/// Which version of the terms, privacy policy or rules a member accepted, and when.
public final class PolicyAcceptance: Model, @unchecked Sendable {
    public static let schema = "policy_acceptances"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "member_id") public var member: Member
    @Field(key: "page_slug") public var pageSlug: String
    @Field(key: "page_version") public var pageVersion: Int
    @Field(key: "accepted_at") public var acceptedAt: Date

    public init() {}

    public init(memberID: UUID, pageSlug: String, pageVersion: Int, acceptedAt: Date) {
        self.$member.id = memberID
        self.pageSlug = pageSlug
        self.pageVersion = pageVersion
        self.acceptedAt = acceptedAt
    }
}
