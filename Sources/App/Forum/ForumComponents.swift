import Plot
import TextRules
import Vapor

/// A list of topics with unread marks, reply counts and the next-page link.
struct TopicListView: Component {
    let rows: [TopicRow]
    let categories: [Int: Category]
    let showCategory: Bool
    let context: PageContext
    let nextLink: String?
    /// What an empty list says (a theme without topics, a quiet day).
    var emptyKey = "forum.no_topics"
    var listID: String? = nil

    var body: Component {
        let t = context.t
        return ComponentGroup {
            if rows.isEmpty {
                El("p", ["class": "muted empty-list"]) { T(t(emptyKey)) }
            } else {
                El("ul", ["class": "topic-list", "id": listID]) {
                    for row in rows { item(row, t: t) }
                }
            }
            if let nextLink {
                El("p") { El("a", ["class": "button button-secondary", "href": nextLink, "rel": "next"]) { T(t("forum.older_topics")) } }
            }
        }
    }

    /// A row as a forum shows it: who started it, the title with its marks, then the theme,
    /// the replies and how long ago something happened.
    private func item(_ row: TopicRow, t: Translator) -> Component {
        // During a break there are no unread marks: nothing to catch up on.
        let unread = row.isUnread && !context.onBreak
        let author = context.shownName(row.authorPseudonym)
        return El("li", ["class": unread ? "topic-row forum-row unread" : "topic-row forum-row"]) {
            Avatar(pseudonym: row.authorPseudonym, choice: row.authorAvatar)
            El("div", ["class": "topic-main"]) {
                El("p", ["class": "topic-line"]) {
                    El(
                        "a",
                        [
                            "class": "topic-title",
                            "href": unread && row.lastRead > 0
                                ? Paths.postNumber(row.lastRead + 1, inTopic: row.id) : Paths.topic(id: row.id),
                        ]
                    ) {
                        T(row.title)
                    }
                    if unread {
                        T(" ")
                        El("span", ["class": "badge badge-unread"]) { T(t("forum.unread")) }
                    }
                    if row.pinned {
                        T(" ")
                        El("span", ["class": "badge"]) { T(t("forum.pinned")) }
                    }
                    if row.closed {
                        T(" ")
                        El("span", ["class": "badge"]) { T(t("forum.closed")) }
                    }
                }
                El("p", ["class": "topic-meta muted"]) {
                    if showCategory, let category = categories[row.categoryID] {
                        El("a", ["class": "theme-chip", "href": Paths.category(category)]) { T(category.name(context.locale)) }
                        T(" · ")
                    }
                    // The sentence is split at the author's name, so the name links to the profile
                    // and the team badge sits beside it.
                    let parts = t("forum.started_by", ["author": "\u{1}"]).components(separatedBy: "\u{1}")
                    T(parts[0])
                    if row.authorPseudonym.isEmpty {
                        T(author)
                    } else {
                        El("a", ["class": "author-link", "href": Paths.profile(pseudonym: row.authorPseudonym)]) { T(author) }
                    }
                    TeamBadge(role: row.authorRole, context: context)
                    T(parts.dropFirst().joined())
                    T(" · ")
                    El("span", ["class": "reply-count"]) { T(t("forum.replies", count: row.replyCount)) }
                    T(" · ")
                    let active = t("forum.last_activity", ["when": "\u{1}"]).components(separatedBy: "\u{1}")
                    T(active[0])
                    TimeAgo(date: row.lastActivityAt, context: context)
                    T(active.dropFirst().joined())
                }
            }
        }
    }
}

/// The text box for writing, with a Markdown hint and a preview button that works without JavaScript.
struct PostEditor: Component {
    let context: PageContext
    let action: String
    let formID: String
    var title: String? = nil
    var text: String = ""
    var categories: [Category] = []
    var selectedCategory: String? = nil
    var errors = FormErrors()
    var preview: String? = nil
    /// Personal details found in the text: the nudge, with "publish anyway".
    var privacy: [PrivacyScanner.Finding] = []
    let submitLabel: String
    /// Fields a kind of text adds after its body (a blog entry's readers, comments on or off).
    var extraFields: Component? = nil
    /// Fields a kind of text adds between its title and its body (a news item's kind and summary).
    var leadingFields: Component? = nil

    var body: Component { editor }

    private var editor: Component {
        let t = context.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return ComponentGroup {
            if !errors.isEmpty { ErrorSummary(errors: errors, context: context) }
            if let preview {
                El("section", ["class": "card preview", "aria-labelledby": "preview-heading"]) {
                    El("h2", ["id": "preview-heading"]) { T(t("forum.preview")) }
                    El("div", ["class": "prose"]) { CookedHTML(html: preview) }
                }
            }
            El("form", ["id": formID, "class": "stack-form", "method": "post", "action": action, "novalidate": ""]) {
                CSRFField(token: context.csrfToken)
                if !categories.isEmpty {
                    El("div", ["class": "field"]) {
                        El("label", ["for": "category"]) { T(t("forum.category")) }
                        El("select", ["id": "category", "name": "category"]) {
                            for category in categories {
                                El("option", ["value": category.slug, "selected": category.slug == selectedCategory ? "" : nil]) {
                                    T(category.name(context.locale))
                                }
                            }
                        }
                    }
                }
                if let title {
                    TextFieldRow(id: "title", type: "text", label: t("forum.title"), value: title, error: error("title"), maxLength: 120)
                }
                if let leadingFields { leadingFields }
                El("div", ["class": "field"]) {
                    El("label", ["for": "body"]) { T(t("forum.body")) }
                    El("p", ["class": "hint", "id": "body-hint"]) { T(t("forum.body_hint")) }
                    El(
                        "textarea",
                        [
                            "id": "body", "name": "body", "rows": "10", "required": "",
                            "aria-describedby": error("body") == nil ? "body-hint" : "body-hint body-error",
                            "aria-invalid": error("body") == nil ? nil : "true",
                        ]
                    ) { T(text) }
                    if let message = error("body") {
                        El("p", ["class": "field-error", "id": "body-error"]) { T(message) }
                    }
                }
                if let extraFields { extraFields }
                if !privacy.isEmpty {
                    El("div", ["id": "privacy-nudge", "class": "callout", "role": "alert"]) {
                        El("h2") { T(t("privacy.title")) }
                        El("p") { T(t("privacy.lead")) }
                        El("ul") {
                            for finding in privacy {
                                El("li") {
                                    T(t("privacy.kind.\(finding.kind.rawValue)") + ": ")
                                    El("mark") { T(finding.text) }
                                }
                            }
                        }
                        El("p") { T(t("privacy.why")) }
                        El(
                            "button",
                            [
                                "id": "\(formID)-publish-anyway", "class": "button button-secondary", "type": "submit",
                                "name": "privacy_ok", "value": "1",
                            ]
                        ) { T(t("privacy.publish_anyway")) }
                    }
                }
                El("div", ["class": "form-actions"]) {
                    El("button", ["id": "\(formID)-submit", "class": "button button-primary", "type": "submit"]) { T(submitLabel) }
                    El("button", ["id": "\(formID)-preview", "class": "button button-secondary", "type": "submit", "name": "preview", "value": "1"]) {
                        T(t("forum.preview"))
                    }
                }
            }
        }
    }
}

/// How closely the viewer follows something (a topic, a theme, a member's blog): watching,
/// normal or muted, in one small form.
struct WatchLevelForm: Component {
    let context: PageContext
    let action: String
    var formID = "watch-form"
    var selectID = "watch-level"
    var submitID = "watch-submit"
    let label: String
    /// Where each level's wording lives: `<prefix>.<level>`.
    var levelKeys = "watch.level"
    let selected: WatchLevel

    var body: Component {
        let t = context.t
        return El("form", ["id": formID, "class": "inline-form watch-form", "method": "post", "action": action]) {
            CSRFField(token: context.csrfToken)
            SelectRow(
                id: selectID, label: label, options: WatchLevel.allCases.map { ($0.rawValue, t("\(levelKeys).\($0.rawValue)")) },
                selected: selected.rawValue
            ).named("level")
            El("button", ["id": submitID, "class": "button button-secondary", "type": "submit"]) { T(t("watch.save")) }
        }
    }
}
