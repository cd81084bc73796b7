import Plot
import TextRules
import Vapor

/// A category: its description, pinned topics, then latest activity.
struct CategoryPage {
    let category: Category
    let pinned: [TopicRow]
    let rows: [TopicRow]
    let next: TopicCursor?
    var watchLevel: WatchLevel = .normal

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(category.name(c.locale)) {
            El("h1") { T(category.name(c.locale)) }
            El("p", ["class": "lead"]) { T(category.description(c.locale)) }
            WatchLevelForm(context: c, action: Paths.categoryWatch(category), label: t("watch.label_category"), selected: watchLevel)
            El("p") {
                El("a", ["id": "new-topic", "class": "button button-primary", "href": Paths.newTopic(in: category)]) { T(t("forum.new_topic")) }
            }
            if !pinned.isEmpty {
                El("h2") { T(t("forum.pinned_topics")) }
                TopicListView(rows: pinned, categories: [:], showCategory: false, context: c, nextLink: nil)
            }
            El("h2") { T(t("forum.latest")) }
            TopicListView(
                rows: rows, categories: [:], showCategory: false, context: c,
                nextLink: next.map { Paths.category(category, after: $0) })
        }
    }
}

/// Starting a topic.
struct NewTopicPage {
    let categories: [Category]
    var form: PostForm
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        return req.page(c.t("forum.new_topic"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(c.t("forum.new_topic")) }
            El("p", ["class": "lead"]) { T(c.t("forum.new_topic_lead")) }
            PostEditor(
                context: c, action: "/t/new", formID: "topic-form", title: form.title ?? "", text: form.body ?? "",
                categories: categories, selectedCategory: form.category ?? categories.first?.slug,
                errors: errors, preview: preview, privacy: privacy, submitLabel: c.t("forum.start_topic"))
        }
    }
}

/// The reply form on a page of its own (quoting, previews, errors).
struct ReplyPage {
    let topic: Topic
    var form: PostForm
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        return req.page(c.t("forum.reply_to", ["title": topic.title]), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(c.t("forum.reply_to", ["title": topic.title])) }
            El("p") { El("a", ["href": Paths.topicPage(topic, TopicPageData.page(of: topic.lastPostNumber))]) { T(c.t("forum.back_to_topic")) } }
            PostEditor(
                context: c, action: Paths.topicReply(topic), formID: "reply-form", text: form.body ?? "",
                errors: errors, preview: preview, privacy: privacy, submitLabel: c.t("forum.send_reply"))
        }
    }
}

/// Editing one's own post.
struct EditPostPage {
    let post: Post
    var form: PostForm
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        return req.page(c.t("forum.edit_post"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(c.t("forum.edit_post")) }
            PostEditor(
                context: c, action: Paths.postEdit(post), formID: "edit-form",
                title: post.number == 1 ? (form.title ?? "") : nil, text: form.body ?? "",
                errors: errors, preview: preview, privacy: privacy, submitLabel: c.t("forum.save_edit"))
        }
    }
}

/// Earlier versions of a post, for moderators.
struct PostHistoryPage {
    let post: Post
    let revisions: [PostRevision]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        return req.page(c.t("forum.history")) {
            El("h1") { T(c.t("forum.history")) }
            El("p") { El("a", ["href": Paths.post(post)]) { T(c.t("forum.back_to_topic")) } }
            El("section", ["class": "card"]) {
                El("h2") { T(c.t("forum.current_version")) }
                El("div", ["class": "prose"]) { CookedHTML(html: post.bodyHTML) }
            }
            for revision in revisions {
                El("section", ["class": "card"]) {
                    El("h2") { T(DateFormatting.dayTime(revision.createdAt, locale: c.locale)) }
                    El("div", ["class": "prose"]) { CookedHTML(html: revision.bodyHTML) }
                }
            }
        }
    }
}
