import Foundation
import Plot
import TextRules
import Vapor

/// A page of unscreened posts grouped by topic; one button marks the page screened.
struct ScreeningPage {
    let rows: [ScreeningRow]
    let more: Bool
    let after: Int?
    let categories: [Category]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { cat in cat.id.map { ($0, cat.name(c.locale)) } })
        return req.page(t("mod.screening.heading")) {
            El("h1") { T(t("mod.screening.heading")) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) { T(t("mod.screening.lead")) }
            if rows.isEmpty {
                El("p", ["id": "screening-empty", "class": "callout"]) { T(t("mod.screening.empty")) }
            } else {
                for group in ScreeningQueue.grouped(rows) {
                    El("section", ["class": "screening-group", "aria-labelledby": "screen-topic-\(group.topicID)"]) {
                        El("h2", ["id": "screen-topic-\(group.topicID)"]) {
                            El("a", ["href": Paths.topic(id: group.topicID)]) { T(group.title) }
                            T(" ")
                            El("span", ["class": "muted"]) { T("(\(names[group.rows[0].categoryID] ?? ""))") }
                        }
                        El("ol", ["class": "screening-items"]) {
                            for row in group.rows {
                                El("li", ["id": "screen-post-\(row.postID)", "class": "screening-item"]) {
                                    El("p", ["class": "post-header"]) {
                                        El("a", ["href": Paths.modMember(id: row.authorID)]) { T(row.authorPseudonym) }
                                        T(" · #\(row.number) · ")
                                        El("time", ["datetime": DateFormatting.iso(row.createdAt)]) {
                                            T(DateFormatting.dayTime(row.createdAt, locale: c.locale))
                                        }
                                        T(" · ")
                                        El("a", ["href": Paths.modPost(id: row.postID), "class": "act-link"]) { T(t("mod.screening.act")) }
                                    }
                                    El("div", ["class": "prose"]) { CookedHTML(html: row.bodyHTML) }
                                }
                            }
                        }
                    }
                }
                El("form", ["id": "screen-form", "method": "post", "action": "/mod/screening"]) {
                    CSRFField(token: c.csrfToken)
                    for row in rows { VoidEl("input", ["type": "hidden", "name": "post[]", "value": String(row.postID)]) }
                    SubmitRow(
                        id: "screen-submit",
                        label: t("mod.screening.mark", count: rows.count))
                }
                if more, let last = rows.last {
                    El("p") { El("a", ["href": "/mod/screening?after=\(last.postID)"]) { T(t("mod.screening.skip_page")) } }
                }
            }
        }
    }
}

/// The review queue, most urgent first, with claim and resolve on each item.
struct QueuePage {
    let rows: [ReviewRow]
    let page: Int
    let more: Bool
    let me: Member
    /// A resolve form that failed (or was rescued from an expired session): which item, and what was typed.
    var errors = FormErrors()
    var typedItem = ""
    var typedOutcome = ""
    var typedReason = ""
    /// Topics waiting for a response (first page only).
    var waiting: WaitingList? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("mod.queue.heading"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("mod.queue.heading")) }
            ModerationNav(context: c)
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            if rows.isEmpty {
                El("p", ["id": "queue-empty", "class": "callout"]) {
                    T(t((waiting?.total ?? 0) > 0 ? "waiting.no_review_items" : "mod.queue.empty"))
                }
            } else {
                El("ol", ["class": "queue", "id": "queue-items"]) {
                    for row in rows { item(row, c: c) }
                }
            }
            El("nav", ["class": "pagination", "aria-label": t("forum.pages")]) {
                El("ul") {
                    if page > 1 { El("li") { El("a", ["href": "/mod/queue?page=\(page - 1)"]) { T(t("mod.previous")) } } }
                    if more { El("li") { El("a", ["href": "/mod/queue?page=\(page + 1)"]) { T(t("mod.more")) } } }
                }
            }
            if let waiting { WaitingQueueSection(list: waiting, context: c) }
        }
    }

    private func item(_ row: ReviewRow, c: PageContext) -> Component {
        let t = c.t
        let id = row.id.uuidString
        return El("li", ["id": "item-\(id)", "class": "queue-item queue-\(row.kind.rawValue)"]) {
            El("h2") {
                El("span", ["class": "badge"]) { T(t("mod.queue.kind.\(row.kind.rawValue)")) }
                T(" ")
                if let topicID = row.topicID, let number = row.postNumber {
                    El("a", ["href": Paths.postNumber(number, inTopic: topicID)]) { T(row.topicTitle ?? "") }
                } else if row.kind == .crisis && row.summary == ReviewItem.questionnaireSummary {
                    T(t("mod.queue.questionnaire_answer"))
                } else if row.kind != .messageReport {
                    // A reported message's reason is in words below; the stored value is not for reading.
                    T(row.summary)
                }
            }
            El("p", ["class": "muted"]) {
                if let name = row.memberPseudonym, let memberID = row.memberID {
                    El("a", ["href": Paths.modMember(id: memberID)]) { T(name) }
                    T(" · ")
                }
                El("time", ["datetime": DateFormatting.iso(row.createdAt)]) { T(DateFormatting.dayTime(row.createdAt, locale: c.locale)) }
                if row.flagCount > 0 { T(" · " + t("mod.queue.reports", count: row.flagCount)) }
                if row.kind == .flag || row.kind == .messageReport { T(" · " + t("flag.reason.\(row.summary)")) }
            }
            if let html = row.excerptHTML {
                El("div", ["class": "prose excerpt"]) { CookedHTML(html: html) }
            }
            El("p", ["class": "claim-status"]) {
                if let claimer = row.claimedBy {
                    T(t("mod.queue.claimed_by", ["name": claimer]))
                } else {
                    T(t("mod.queue.unclaimed"))
                }
            }
            El("div", ["class": "queue-actions"]) {
                if row.claimedBy != me.pseudonym {
                    El("form", ["class": "inline-form", "method": "post", "action": "/mod/queue"]) {
                        CSRFField(token: c.csrfToken)
                        VoidEl("input", ["type": "hidden", "name": "item", "value": id])
                        VoidEl("input", ["type": "hidden", "name": "_form", "value": "claim"])
                        El("button", ["class": "button button-secondary", "type": "submit", "id": "claim-\(id)"]) { T(t("mod.queue.claim")) }
                    }
                }
                if row.kind == .welcome {
                    El("a", ["class": "button button-primary", "id": "welcome-\(id)", "href": Paths.modWelcome(id: row.id)]) {
                        T(t("mod.welcome.write"))
                    }
                }
                // A reported private message opens only through its item (the look is audited).
                if row.kind == .messageReport {
                    El("a", ["class": "button button-primary", "id": "read-message-\(id)", "href": Paths.modMessageReport(id: row.id)]) {
                        T(t("mod.messages.open"))
                    }
                }
                if let postID = row.postID {
                    El("a", ["class": "button button-secondary", "href": Paths.modPost(id: postID)]) { T(t("mod.screening.act")) }
                }
                // A crisis item and its alert are one thing: resolving here acknowledges the alert.
                if let alertID = row.alertID {
                    El("a", ["class": "button button-secondary", "id": "alert-\(id)", "href": Paths.modAlert(id: alertID)]) {
                        T(t("mod.queue.open_alert"))
                    }
                }
                let typed = typedItem == id
                El("form", ["class": "stack-form resolve-form", "method": "post", "action": "/mod/queue", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    RescueFields(returnPath: "/mod/queue", form: "resolve")
                    VoidEl("input", ["type": "hidden", "name": "item", "value": id])
                    VoidEl("input", ["type": "hidden", "name": "page", "value": String(page)])
                    SelectRow(
                        id: "outcome-\(id)", label: t("mod.queue.outcome"),
                        options: row.kind.outcomes.map { ($0.rawValue, t("mod.queue.outcome.\($0.rawValue)")) },
                        selected: typed ? typedOutcome : nil, error: typed ? errors.message(for: "outcome-\(id)").map { t($0) } : nil
                    )
                    .named("outcome")
                    TextFieldRow(
                        id: "reason-\(id)", type: "text", label: t("mod.reason"), value: typed ? typedReason : "",
                        error: typed ? errors.message(for: "reason-\(id)").map { t($0) } : nil, maxLength: 2_000, name: "reason")
                    El("button", ["class": "button button-primary", "type": "submit", "id": "resolve-\(id)"]) { T(t("mod.queue.resolve")) }
                }
            }
        }
    }
}

/// A moderator's welcome reply to a member's first post, prefilled from the template.
struct WelcomePage {
    let item: ReviewItem
    let topic: Topic
    let member: Member
    let body: String
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("mod.welcome.title", ["name": member.pseudonym]), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("mod.welcome.title", ["name": member.pseudonym])) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) {
                T(t("mod.welcome.lead") + " ")
                El("a", ["href": Paths.topic(topic)]) { T(topic.title) }
            }
            PostEditor(
                context: c, action: Paths.modWelcome(item), formID: "welcome-form", text: body,
                errors: errors, preview: preview, privacy: privacy, submitLabel: t("mod.welcome.send"))
        }
    }
}
