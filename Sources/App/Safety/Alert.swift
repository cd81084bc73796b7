import Fluent
import Vapor

/// A crisis notice: mailed to the moderators at once, shown on every moderator page until a
/// moderator acknowledges it, and sent again to the escalation address if nobody does in time.
final class Alert: Model, @unchecked Sendable {
    static let schema = "alerts"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "post_id") var postID: Int?
    @OptionalField(key: "member_id") var memberID: UUID?
    @Field(key: "rule_pattern") var rulePattern: String
    /// The words around the match, as the member wrote them.
    @Field(key: "excerpt") var excerpt: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "acknowledged_by") var acknowledgedBy: UUID?
    @OptionalField(key: "acknowledged_at") var acknowledgedAt: Date?
    /// What the moderator did.
    @OptionalField(key: "action_note") var actionNote: String?
    @OptionalField(key: "escalated_at") var escalatedAt: Date?

    init() {}
}
