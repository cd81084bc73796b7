import Fluent
import Vapor

/// A member's report of a post. Several reports by different members hide the post until a
/// moderator has looked.
final class Flag: Model, @unchecked Sendable {
    static let schema = "flags"

    enum Reason: String, Codable, Sendable, CaseIterable {
        case disrespectful
        case privacy
        case worried
        case misinformation
        case other
    }

    /// Reports by this many different members hide a post until it is reviewed.
    static let hideThreshold = 3

    @ID(key: .id) var id: UUID?
    @Field(key: "post_id") var postID: Int
    @Field(key: "reporter_id") var reporterID: UUID
    @Field(key: "reason") var reason: Reason
    @Field(key: "note") var note: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "review_item_id") var reviewItemID: UUID

    init() {}
}
