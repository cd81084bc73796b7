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

    public init() {}

    public init(actorID: UUID?, action: String, subjectMemberID: UUID?, detail: String, createdAt: Date) {
        self.actorID = actorID
        self.action = action
        self.subjectMemberID = subjectMemberID
        self.detail = detail
        self.createdAt = createdAt
    }
}
