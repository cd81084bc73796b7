import Foundation

/// Every internal URL, built in one typed place. A model without an id (never saved) has no
/// address: that is a programming error, which stops debug builds and tests at once instead
/// of producing a link to `/t/0`.
enum Paths {
    static func topic(_ topic: Topic, page: Int? = nil) -> String {
        let base = "/t/\(id(topic.id, "topic"))"
        guard let page, page > 1 else { return base }
        return "\(base)?page=\(page)"
    }

    /// A post in its topic: the right page, and the post's anchor.
    static func post(_ post: Post, in topic: Topic) -> String {
        postNumber(post.number, inTopic: id(topic.id, "topic"))
    }

    static func postNumber(_ number: Int, inTopic topicID: Int) -> String {
        "/t/\(topicID)?page=\(TopicPageData.page(of: number))#post-\(number)"
    }

    static func reply(to topic: Topic) -> String { "/t/\(id(topic.id, "topic"))/reply" }
    static func edit(_ post: Post) -> String { "/p/\(id(post.id, "post"))/edit" }

    /// The calm page after a crisis rule or a hold, which also says when a held post is read.
    static func support(topic: Topic, post: Post) -> String {
        "/support?topic=\(id(topic.id, "topic"))&post=\(post.number)"
    }

    static func category(_ category: Category) -> String { "/c/\(LocalPath.encode(category.slug))" }
    static func profile(_ member: Member) -> String { "/u/\(LocalPath.encode(member.pseudonym))" }

    static func modPost(_ post: Post) -> String { "/mod/posts/\(id(post.id, "post"))" }
    static func modPost(id postID: Int) -> String { "/mod/posts/\(postID)" }
    static func modMember(_ member: Member) -> String { "/mod/members/\(id(member.id, "member").uuidString)" }

    private static func id(_ value: Int?, _ what: String) -> Int {
        guard let value else { assertionFailure("a link to a \(what) that has no id"); return 0 }
        return value
    }

    private static func id(_ value: UUID?, _ what: String) -> UUID {
        guard let value else { assertionFailure("a link to a \(what) that has no id"); return UUID() }
        return value
    }
}
