import Fluent
import Vapor

/// An entry of the admin-curated library of reliable, evidence-based sources that moderators
/// refer to when a post spreads misinformation.
final class Source: Model, @unchecked Sendable {
    static let schema = "sources"

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "url") var url: String
    /// "nl", "en" or "any".
    @Field(key: "language") var language: String
    @Field(key: "description") var description: String
    @Field(key: "archived") var archived: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
