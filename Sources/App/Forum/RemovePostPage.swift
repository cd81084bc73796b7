import Plot
import Vapor

/// "Delete this post?": the second step before an author deletes their own post, with the
/// start of its text, so nothing goes by a slip of the finger.
struct RemovePostPage {
    let post: Post
    let topic: Topic

    /// How much of the text the question shows.
    static let excerptLength = 280

    static func excerpt(of text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return flat.count <= excerptLength ? flat : String(flat.prefix(excerptLength)).trimmingCharacters(in: .whitespaces) + "…"
    }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("moderation_flow.remove.title")) {
            El("h1") { T(t("moderation_flow.remove.title")) }
            El("p", ["class": "lead"]) {
                T(t("moderation_flow.remove.lead", count: Int(RemoveOwnPost.undoWindow / 60)))
            }
            El("p") {
                El("a", ["href": Paths.post(post, in: topic)]) { T(topic.title) }
                T(" · #\(post.number)")
            }
            El("blockquote", ["class": "card remove-excerpt", "id": "remove-excerpt"]) { T(Self.excerpt(of: post.bodyMarkdown)) }
            if post.number == 1 {
                El("p", ["class": "hint", "id": "remove-first-post"]) { T(t("moderation_flow.remove.first_post")) }
            }
            El("form", ["id": "remove-form", "class": "stack-form", "method": "post", "action": Paths.postRemove(post)]) {
                CSRFField(token: c.csrfToken)
                El("div", ["class": "form-actions"]) {
                    El("button", ["class": "button button-primary", "type": "submit", "id": "remove-submit"]) {
                        T(t("moderation_flow.remove.confirm"))
                    }
                    T(" ")
                    El("a", ["class": "button button-secondary", "id": "remove-cancel", "href": Paths.post(post, in: topic)]) {
                        T(t("moderation_flow.remove.cancel"))
                    }
                }
            }
        }
    }
}
