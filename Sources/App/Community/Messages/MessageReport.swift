import Fluent
import Vapor

/// A participant reported a message: the moderators may then see that message and the ten
/// before it (every look audited), through the review item it belongs to.
final class MessageReport: Model, @unchecked Sendable {
    static let schema = "message_reports"

    @ID(key: .id) var id: UUID?
    @Field(key: "message_id") var messageID: Int
    @Field(key: "reporter_id") var reporterID: UUID
    @Field(key: "reason") var reason: Flag.Reason
    @Field(key: "note") var note: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "review_item_id") var reviewItemID: UUID

    init() {}
}
