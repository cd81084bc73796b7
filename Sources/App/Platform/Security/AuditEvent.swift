import Fluent
import Vapor

/// An append-only record of a sensitive act (a role change, a look at contact details,
/// a moderation action). Nothing in the app updates or deletes these rows.
public final class AuditEvent: Model, @unchecked Sendable {
    public static let schema = "audit_events"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "action") public var action: String
    @OptionalField(key: "subject_member_id") public var subjectMemberID: UUID?
    @Field(key: "detail") public var detail: String
    @Field(key: "created_at") public var createdAt: Date
    /// What was acted on, as "post:12", "topic:3" or "member:<id>".
    @OptionalField(key: "target") public var target: String?
    @OptionalField(key: "reason") public var reason: String?
    /// The content before and after, where an action changed it.
    @OptionalField(key: "before_text") public var beforeText: String?
    @OptionalField(key: "after_text") public var afterText: String?

    public init() {}

    public init(
        actorID: UUID?, action: String, subjectMemberID: UUID?, detail: String, createdAt: Date,
        target: String? = nil, reason: String? = nil, before: String? = nil, after: String? = nil
    ) {
        self.actorID = actorID
        self.action = action
        self.subjectMemberID = subjectMemberID
        self.detail = detail
        self.createdAt = createdAt
        self.target = target
        self.reason = reason
        self.beforeText = before
        self.afterText = after
    }
}
