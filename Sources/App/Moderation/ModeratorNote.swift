import Fluent
import Vapor

/// A note from the moderators under a post, linking to sources from the library.
final class ModeratorNote: Model, @unchecked Sendable {
    static let schema = "moderator_notes"

    @ID(key: .id) var id: UUID?
    @Field(key: "post_id") var postID: Int
    @OptionalField(key: "author_id") var authorID: UUID?
    @Field(key: "body") var body: String
    /// The note and its source links as HTML, built once when the note is written.
    @Field(key: "body_html") var bodyHTML: String
    /// The referenced sources' ids, comma-separated (a note keeps them even if one is archived).
    @Field(key: "source_ids") var sourceIDs: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var sourceIDList: [UUID] { sourceIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }
}
