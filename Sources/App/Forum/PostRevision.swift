import Fluent
import Vapor

/// An earlier version of an edited post, kept for moderators.
public final class PostRevision: Model, @unchecked Sendable {
    public static let schema = "post_revisions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "post_id") public var postID: Int
    @Field(key: "body_markdown") public var bodyMarkdown: String
    @Field(key: "body_html") public var bodyHTML: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    init(of post: Post, at date: Date) {
        self.postID = post.id ?? 0
        self.bodyMarkdown = post.bodyMarkdown
        self.bodyHTML = post.bodyHTML
        self.createdAt = date
    }
}
