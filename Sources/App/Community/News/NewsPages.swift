import Plot
import TextRules
import Vapor

/// A list of news items: kind, title, date, summary and comments; the next-page link.
struct NewsListView: Component {
    let rows: [NewsRow]
    let themes: [Int: Category]
    let context: PageContext
    let nextLink: String?
    var emptyKey = "news.empty"

    var body: Component {
        let t = context.t
        return ComponentGroup {
            if rows.isEmpty {
                El("p", ["class": "muted", "id": "no-news"]) { T(t(emptyKey)) }
            } else {
                El("ul", ["class": "topic-list news-list"]) {
                    for row in rows {
                        El("li", ["class": "topic-row news-row", "id": "news-\(row.topicID)"]) {
                            El("span", ["class": "badge"]) { T(t("news.kind.\(row.kind.rawValue)")) }
                            T(" ")
                            El("a", ["class": "topic-title", "href": Paths.newsItem(id: row.topicID)]) { T(row.title) }
                            if !row.published {
                                T(" ")
                                El("span", ["class": "badge badge-private"]) {
                                    T(
                                        row.publishAt.map { t("news.scheduled_for", ["date": DateFormatting.dayTime($0, locale: context.locale)]) }
                                            ?? t("news.draft"))
                                }
                            }
                            if row.isPublic && context.member.map(Guardian.canEditNews) == true {
                                T(" ")
                                El("span", ["class": "badge"]) { T(t("news.public_badge")) }
                            }
                            El("p", ["class": "topic-meta muted"]) {
                                if row.published, let date = row.publishAt {
                                    El("time", ["datetime": DateFormatting.iso(date)]) { T(DateFormatting.day(date, locale: context.locale)) }
                                }
                                if let theme = row.themeID.flatMap({ themes[$0] }) {
                                    T(" · ")
                                    T(theme.name(context.locale))
                                }
                                if row.replyCount > 0 {
                                    T(" · ")
                                    T(t("blogs.comments", count: row.replyCount))
                                }
                            }
                            El("p", ["class": "entry-excerpt"]) { T(row.summary) }
                        }
                    }
                }
            }
            if let nextLink {
                El("p") { El("a", ["class": "button button-secondary", "href": nextLink, "rel": "next"]) { T(t("news.older")) } }
            }
        }
    }
}

/// GET /news: the team's news and publications, with filters; editors also see their drafts.
struct NewsPage {
    let rows: [NewsRow]
    let next: String?
    let themes: [Category]
    let filter: NewsQueries.Filter
    /// Drafts and scheduled items (editors only; empty for others).
    var unpublished: [NewsRow] = []
    var canWrite = false
    /// A visitor: public items only, and a way in.
    var visitor = false

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let themeIndex = Dictionary(uniqueKeysWithValues: themes.compactMap { theme in theme.id.map { ($0, theme) } })
        return req.page(t("news.title")) {
            El("h1") { T(t("news.title")) }
            El("p", ["class": "lead"]) { T(t(visitor ? "news.visitor_lead" : "news.lead")) }
            if canWrite {
                El("p") { El("a", ["class": "button button-primary", "id": "write-news", "href": Paths.newsNew]) { T(t("news.write")) } }
                if !unpublished.isEmpty {
                    El("section", ["class": "card", "aria-labelledby": "drafts-heading", "id": "drafts"]) {
                        El("h2", ["id": "drafts-heading"]) { T(t("news.drafts")) }
                        NewsListView(rows: unpublished, themes: themeIndex, context: c, nextLink: nil)
                    }
                }
            }
            if !visitor {
                El("form", ["id": "news-filter", "class": "inline-form filter-form", "method": "get", "action": Paths.news]) {
                    SelectRow(
                        id: "kind", label: t("news.filter.kind"),
                        options: [("", t("news.filter.all"))] + NewsItem.Kind.allCases.map { ($0.rawValue, t("news.kind_plural.\($0.rawValue)")) },
                        selected: filter.kind?.rawValue ?? "")
                    SelectRow(
                        id: "theme", label: t("news.filter.theme"),
                        options: [("", t("news.filter.all_themes"))] + themes.map { ($0.slug, $0.name(c.locale)) },
                        selected: themes.first { $0.id == filter.themeID }?.slug ?? "")
                    El("button", ["class": "button button-secondary", "type": "submit", "id": "filter-submit"]) { T(t("news.filter.apply")) }
                }
            }
            NewsListView(rows: rows, themes: themeIndex, context: c, nextLink: next, emptyKey: visitor ? "news.empty_public" : "news.empty")
            if visitor {
                El("p") {
                    El("a", ["class": "button button-secondary", "href": "/login?next=/news"]) { T(t("news.login_for_more")) }
                }
            }
        }
    }
}

/// Above a news item's text: kind, date, theme, summary and the source of a publication.
struct NewsItemHead: Component {
    let item: NewsItem
    let title: String
    let summary: String
    let publishedAt: Date?
    let theme: Category?
    let context: PageContext

    var body: Component {
        let t = context.t
        return ComponentGroup {
            El("nav", ["aria-label": t("forum.breadcrumb"), "class": "breadcrumb"]) {
                El("a", ["href": Paths.news]) { T(t("news.title")) }
            }
            El("p", ["class": "muted news-kind"]) {
                El("span", ["class": "badge"]) { T(t("news.kind.\(item.kind.rawValue)")) }
                if item.published, let publishedAt {
                    T(" ")
                    El("time", ["datetime": DateFormatting.iso(publishedAt)]) { T(DateFormatting.day(publishedAt, locale: context.locale)) }
                } else {
                    T(" ")
                    El("span", ["class": "badge badge-private", "id": "news-state"]) {
                        T(
                            item.publishAt.map { t("news.scheduled_for", ["date": DateFormatting.dayTime($0, locale: context.locale)]) }
                                ?? t("news.draft"))
                    }
                }
                if let theme {
                    T(" · ")
                    // A visitor cannot open a theme: its name alone.
                    if context.member == nil {
                        T(theme.name(context.locale))
                    } else {
                        El("a", ["href": Paths.category(theme)]) { T(theme.name(context.locale)) }
                    }
                }
            }
            El("h1", ["id": "topic-title"]) { T(title) }
            El("p", ["class": "lead", "id": "news-summary"]) { T(summary) }
            if item.kind == .publication || item.sourceLink != nil {
                NewsSourceView(item: item, context: context)
            }
            // A call for participants leads members to the study's letter and the choice.
            if item.kind == .call && context.member != nil {
                El("p", ["class": "callout", "id": "news-call"]) {
                    T(t("news.call_lead") + " ")
                    El("a", ["class": "button button-secondary", "id": "news-call-link", "href": Paths.researchConsent]) {
                        T(t("research.read_letter"))
                    }
                }
            }
        }
    }
}

/// A publication's source: who, where, when, and the link with the evidence-based mark.
struct NewsSourceView: Component {
    let item: NewsItem
    let context: PageContext

    var body: Component {
        let t = context.t
        let credit = [item.sourceAuthors, item.sourcePublisher, item.sourceYear.map(String.init)].compactMap { $0 }.joined(separator: " · ")
        return El("aside", ["class": "card news-source", "aria-labelledby": "source-heading", "id": "news-source"]) {
            El("h2", ["id": "source-heading"]) { T(t("news.source")) }
            if !credit.isEmpty { El("p") { T(credit) } }
            if let link = item.sourceLink {
                El("p") {
                    El("a", ["href": link, "rel": "noopener nofollow"]) { T(link) }
                    if item.sourceEvidence {
                        T(" ")
                        El("span", ["class": "badge badge-evidence", "id": "evidence-mark"]) { T(t("news.evidence_mark")) }
                    }
                }
            }
        }
    }
}

/// A public item for visitors: the text, without comments or reactions, and a way in.
struct PublicNewsItemPage {
    let head: NewsItemHead
    let html: String

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        return req.page(head.title) {
            head
            El("article", ["class": "prose", "id": "news-body"]) { CookedHTML(html: html) }
            El("p", ["class": "callout"]) {
                T(c.t("news.public_note") + " ")
                El("a", ["href": "/signup"]) { T(c.t("news.public_join")) }
            }
        }
    }
}

/// Writing or changing a news item (editors).
struct NewsEditorPage {
    /// Nil for a new item.
    let topicID: Int?
    var form: NewsForm
    let themes: [Category]
    let sources: [Source]
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let heading = topicID == nil ? t("news.new_title") : t("news.edit_title")
        let e = { (field: String) in errors.message(for: field).map { t($0) } }
        let leading = ComponentGroup {
            RadioGroup(
                name: "kind", legend: t("news.field.kind"), options: NewsItem.Kind.allCases.map { ($0.rawValue, t("news.kind.\($0.rawValue)")) },
                selected: form.kind ?? "news")
            RadioGroup(
                name: "language", legend: t("news.field.language"),
                options: NewsItem.Language.allCases.map { ($0.rawValue, t("news.language.\($0.rawValue)")) }, selected: form.language ?? "nl")
            TextAreaRow(
                id: "summary", label: t("news.field.summary"), hint: t("news.field.summary_hint"), value: form.summary ?? "", error: e("summary"),
                rows: 3, maxLength: NewsForm.summaryLimit)
        }
        let extra = ComponentGroup {
            El("fieldset", ["id": "second-text"]) {
                El("legend") { T(t("news.field.second_legend")) }
                El("p", ["class": "hint"]) { T(t("news.field.second_hint")) }
                TextFieldRow(
                    id: "second_title", type: "text", label: t("news.field.second_title"), value: form.second_title ?? "", error: e("second_title"),
                    required: false, maxLength: 120)
                TextAreaRow(
                    id: "second_summary", label: t("news.field.second_summary"), value: form.second_summary ?? "", error: e("second_summary"),
                    required: false, rows: 3, maxLength: NewsForm.summaryLimit)
                TextAreaRow(
                    id: "second_body", label: t("news.field.second_body"), value: form.second_body ?? "", error: e("second_body"), required: false,
                    rows: 8)
            }
            SelectRow(
                id: "theme", label: t("news.field.theme"), options: [("", t("news.field.no_theme"))] + themes.map { ($0.slug, $0.name(c.locale)) },
                selected: form.theme ?? "", error: e("theme"))
            El("fieldset", ["id": "source"]) {
                El("legend") { T(t("news.field.source_legend")) }
                El("p", ["class": "hint"]) { T(t("news.field.source_hint")) }
                SelectRow(
                    id: "source_pick", label: t("news.field.source_pick"),
                    options: [("", t("news.field.source_none"))] + sources.map { ($0.id?.uuidString ?? "", $0.title) },
                    selected: form.source_pick ?? "", error: e("source_pick"))
                TextFieldRow(
                    id: "source_authors", type: "text", label: t("news.field.source_authors"), value: form.source_authors ?? "",
                    error: e("source_authors"), required: false, maxLength: NewsForm.sourceFieldLimit)
                TextFieldRow(
                    id: "source_publisher", type: "text", label: t("news.field.source_publisher"), value: form.source_publisher ?? "",
                    error: e("source_publisher"), required: false, maxLength: NewsForm.sourceFieldLimit)
                TextFieldRow(
                    id: "source_year", type: "text", label: t("news.field.source_year"), value: form.source_year ?? "", error: e("source_year"),
                    required: false, maxLength: 4)
                TextFieldRow(
                    id: "source_link", type: "text", label: t("news.field.source_link"), hint: t("news.field.source_link_hint"),
                    value: form.source_link ?? "", error: e("source_link"), required: false, maxLength: NewsForm.linkLimit)
            }
            RadioGroup(
                name: "publish", legend: t("news.field.publish"),
                options: ["draft", "now", "later"].map { ($0, t("news.publish.\($0)")) }, selected: form.publish ?? "draft", error: nil)
            TextFieldRow(
                id: "publish_at", type: "text", label: t("news.field.publish_at"), hint: t("news.field.publish_at_hint"),
                value: form.publish_at ?? "", error: e("publish_at"), required: false, maxLength: 16)
            El("fieldset") {
                El("legend") { T(t("news.field.options")) }
                CheckboxRow(id: "pinned", checked: form.pinned == "on") { T(t("news.field.pinned")) }
                CheckboxRow(id: "public", checked: form.public == "on") { T(t("news.field.public")) }
                CheckboxRow(id: "comments", checked: form.comments == "on") { T(t("news.field.comments")) }
            }
        }
        return req.page(heading, status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(heading) }
            El("p", ["class": "lead"]) { T(t("news.editor_lead")) }
            PostEditor(
                context: c, action: topicID.map(Paths.newsItemEdit(id:)) ?? Paths.newsNew, formID: "news-form", title: form.title ?? "",
                text: form.body ?? "", errors: errors, preview: preview, privacy: privacy, submitLabel: t("news.save"),
                extraFields: extra, leadingFields: leading)
        }
    }
}
