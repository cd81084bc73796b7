import Plot
import TextRules
import Vapor

/// A list of blog entries: title, author, date, an opening, comments; the next-page link.
struct BlogEntryListView: Component {
    let rows: [BlogEntryRow]
    let context: PageContext
    let nextLink: String?
    /// On one member's blog the author's name is the page's own heading.
    var showAuthor = true

    var body: Component {
        let t = context.t
        return ComponentGroup {
            if rows.isEmpty {
                El("p", ["class": "muted", "id": "no-entries"]) { T(t("blogs.empty")) }
            } else {
                El("ul", ["class": "topic-list entry-list"]) {
                    for row in rows {
                        El("li", ["class": "topic-row entry-row", "id": "entry-\(row.topicID)"]) {
                            El("a", ["class": "topic-title", "href": Paths.blogEntry(id: row.topicID)]) { T(row.title) }
                            if row.kind == .journal {
                                T(" ")
                                El("span", ["class": "badge badge-private"]) { T(t("blogs.only_me_badge")) }
                            }
                            if row.waits {
                                T(" ")
                                El("span", ["class": "badge"]) { T(t("profile.topic_waits")) }
                            }
                            El("p", ["class": "topic-meta muted"]) {
                                if showAuthor {
                                    El("a", ["href": Paths.blog(pseudonym: row.authorPseudonym)]) { T(context.shownName(row.authorPseudonym)) }
                                    TeamBadge(role: row.authorRole, context: context)
                                    T(" · ")
                                }
                                El("time", ["datetime": DateFormatting.iso(row.createdAt)]) {
                                    T(DateFormatting.dayTime(row.createdAt, locale: context.locale))
                                }
                                if row.kind == .blog && (row.commentsOff || row.replyCount > 0) {
                                    T(" · ")
                                    T(
                                        row.commentsOff
                                            ? t("blogs.comments_off_short")
                                            : t("blogs.comments", count: row.replyCount)
                                    )
                                }
                            }
                            if !row.excerpt.isEmpty { El("p", ["class": "entry-excerpt"]) { T(row.excerpt) } }
                        }
                    }
                }
            }
            if let nextLink {
                El("p") { El("a", ["class": "button button-secondary", "href": nextLink, "rel": "next"]) { T(t("blogs.older")) } }
            }
        }
    }
}

/// GET /blogs: everyone's latest entries.
struct BlogsPage {
    let rows: [BlogEntryRow]
    let next: TopicCursor?
    let viewer: Member

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("blogs.title")) {
            El("h1") { T(t("blogs.title")) }
            El("p", ["class": "lead"]) { T(t("blogs.lead")) }
            El("p", ["class": "actions"]) {
                El("a", ["class": "button button-primary", "id": "write-entry", "href": Paths.blogsNew]) { T(t("blogs.write")) }
                T(" ")
                El("a", ["class": "button button-secondary", "id": "my-blog", "href": Paths.blog(viewer)]) { T(t("blogs.mine")) }
            }
            BlogEntryListView(rows: rows, context: c, nextLink: next.map { Paths.blogs(after: $0) })
        }
    }
}

/// GET /u/:pseudonym/blog: one member's entries, with following for others.
struct MemberBlogPage {
    let author: Member
    let rows: [BlogEntryRow]
    let next: TopicCursor?
    let viewer: Member
    let followLevel: WatchLevel

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let own = author.id == viewer.id
        let name = c.shownName(author.isClosed ? "" : author.pseudonym)
        return req.page(t("blogs.of", ["name": name])) {
            El("nav", ["aria-label": t("forum.breadcrumb"), "class": "breadcrumb"]) {
                El("a", ["href": Paths.blogs]) { T(t("blogs.title")) }
                T(" › ")
                El("a", ["href": Paths.profile(author)]) { T(name) }
            }
            El("h1") { T(t("blogs.of", ["name": name])) }
            if own {
                El("p", ["class": "lead"]) { T(t("blogs.own_lead")) }
                El("p") { El("a", ["class": "button button-primary", "id": "write-entry", "href": Paths.blogsNew]) { T(t("blogs.write")) } }
            } else {
                WatchLevelForm(
                    context: c, action: Paths.blogFollow(author), formID: "follow-form", selectID: "follow-level", submitID: "follow-submit",
                    label: t("blogs.follow_label"), levelKeys: "blogs.follow", selected: followLevel)
            }
            BlogEntryListView(rows: rows, context: c, nextLink: next.map { Paths.blog(author, after: $0) }, showAuthor: false)
        }
    }
}

/// Above a blog entry: the way back to the author's blog, the title, who reads it.
struct BlogEntryHead: Component {
    let topic: Topic
    let author: Member
    let context: PageContext

    var body: Component {
        let t = context.t
        let name = context.shownName(author.isClosed ? "" : author.pseudonym)
        return ComponentGroup {
            El("nav", ["aria-label": t("forum.breadcrumb"), "class": "breadcrumb"]) {
                El("a", ["href": Paths.blogs]) { T(t("blogs.title")) }
                T(" › ")
                if author.isClosed {
                    T(name)
                } else {
                    El("a", ["href": Paths.blog(author)]) { T(t("blogs.of", ["name": name])) }
                }
            }
            El("h1", ["id": "topic-title"]) { T(topic.title) }
            if topic.kind == .journal {
                El("p", ["class": "callout", "id": "only-me-note"]) { T(t("blogs.only_me_note")) }
            }
        }
    }
}

/// Writing or changing a blog entry: title, text, who reads it, comments on or off.
struct BlogEntryEditorPage {
    /// Nil for a new entry.
    let topic: Topic?
    var form: BlogEntryForm
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let heading = topic == nil ? t("blogs.new_title") : t("blogs.edit_title")
        let settings = form.settings
        let fields = ComponentGroup {
            RadioGroup(
                name: "visibility", legend: t("blogs.visibility"),
                options: BlogEntrySettings.Visibility.allCases.map { ($0.rawValue, t("blogs.visibility.\($0.rawValue)")) },
                selected: settings.visibility.rawValue)
            CheckboxRow(id: "comments", checked: settings.commentsAllowed) { T(t("blogs.comments_allowed")) }
        }
        return req.page(heading, status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(heading) }
            El("p", ["class": "lead"]) { T(t("blogs.editor_lead")) }
            PostEditor(
                context: c, action: topic.map(Paths.blogEntryEdit) ?? Paths.blogsNew, formID: "entry-form", title: form.title ?? "",
                text: form.body ?? "", errors: errors, preview: preview, privacy: privacy,
                submitLabel: topic == nil ? t("blogs.publish") : t("blogs.save"), extraFields: fields)
        }
    }
}
