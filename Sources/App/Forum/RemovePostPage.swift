import Plot
import Vapor

/// "Delete this post?": the post's text and two equal choices, so nothing goes by accident.
/// The deletion can be undone for 10 minutes (the topic page offers it under the post).
struct RemovePostPage {
    let post: Post
    let topic: Topic

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("remove.title")) {
            El("h1") { T(t("remove.title")) }
            El("p", ["class": "lead"]) { T(t("remove.lead", ["topic": topic.title])) }
            El("blockquote", ["class": "prose remove-preview", "id": "remove-preview"]) { CookedHTML(html: post.bodyHTML) }
            El("p") { T(t("remove.undo_hint")) }
            El("form", ["id": "remove-form", "class": "form-actions", "method": "post", "action": Paths.postRemove(post)]) {
                CSRFField(token: c.csrfToken)
                El("button", ["id": "remove-submit", "class": "button button-primary", "type": "submit"]) { T(t("remove.confirm")) }
                El("a", ["id": "remove-cancel", "class": "button button-secondary", "href": Paths.post(post, in: topic)]) { T(t("remove.keep")) }
            }
        }
    }
}
