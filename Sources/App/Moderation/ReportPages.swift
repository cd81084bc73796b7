import Fluent
import Foundation
import Plot
import SQLKit
import Vapor

/// Reporting a post to the moderators.
struct ReportPage {
    let post: Post
    let topic: Topic
    var form: ReportForm
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("report.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("report.title")) }
            El("p", ["class": "lead"]) { T(t("report.lead")) }
            El("p") { El("a", ["href": Paths.post(post, in: topic)]) { T(topic.title) } }
            El("div", ["class": "prose card"]) { CookedHTML(html: post.bodyHTML) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "report-form", "class": "stack-form", "method": "post", "action": Paths.postReport(post), "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                ReportFields(form: form, errors: errors, context: c)
            }
            El("p", ["class": "muted"]) {
                T(t("report.urgent") + " ")
                El("a", ["href": "/help"]) { T(t("layout.help_now")) }
            }
        }
    }
}

/// What the moderators did about the member's account or posts, and their reports' outcomes.
struct NoticesPage {
    struct Report: Sendable {
        let postID: Int
        let topicID: Int
        let number: Int
        let title: String
        let reason: Flag.Reason
        let createdAt: Date
        let resolvedAt: Date?
        let outcome: ReviewItem.Outcome?
    }

    let actions: [ModerationAction]
    let reports: [Report]

    /// The member's reports with their review item's outcome: one query.
    static func loadReports(of memberID: UUID, on db: any Database) async throws -> [Report] {
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT f.post_id, f.reason, f.created_at, p.number, p.topic_id, t.title, i.resolved_at, i.outcome
            FROM flags f JOIN posts p ON p.id = f.post_id JOIN topics t ON t.id = p.topic_id
            JOIN review_items i ON i.id = f.review_item_id
            WHERE f.reporter_id = \(bind: memberID) ORDER BY f.created_at DESC LIMIT 50
            """
        ).all()
        return try rows.map { row in
            Report(
                postID: try row.decode(column: "post_id", as: Int.self),
                topicID: try row.decode(column: "topic_id", as: Int.self),
                number: try row.decode(column: "number", as: Int.self),
                title: try row.decode(column: "title", as: String.self),
                reason: try row.decode(column: "reason", as: Flag.Reason.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                resolvedAt: try row.decode(column: "resolved_at", as: Date?.self),
                outcome: try row.decode(column: "outcome", as: String?.self).flatMap(ReviewItem.Outcome.init(rawValue:)))
        }
    }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("notices.title")) {
            El("h1") { T(t("notices.title")) }
            El("p", ["class": "lead"]) { T(t("notices.lead")) }
            El("h2") { T(t("notices.from_team")) }
            if actions.isEmpty {
                El("p", ["class": "muted", "id": "no-notices"]) { T(t("notices.none")) }
            } else {
                El("ul", ["id": "notices", "class": "notices"]) {
                    for action in actions {
                        El("li", ["class": action.kind == .message ? "notice notice-message" : "notice"]) {
                            El("strong") { T(t("notices.kind.\(action.kind.rawValue)")) }
                            T(" · " + DateFormatting.dayTime(action.createdAt, locale: c.locale))
                            if action.kind == .message {
                                // A caring message is a message to read, not an action "and its reason".
                                El("blockquote", ["class": "notice-reason message-body"]) { T(action.reason) }
                            } else {
                                El("p") { T(t("notices.explain.\(action.kind.rawValue)")) }
                                El("p", ["class": "notice-reason"]) { T(t("notices.reason", ["reason": action.reason])) }
                            }
                            if let until = action.until {
                                El("p") {
                                    T(
                                        until >= ModerationAction.indefinitely
                                            ? t("notices.indefinitely")
                                            : t("notices.until", ["date": DateFormatting.dayTime(until, locale: c.locale)]))
                                }
                            }
                        }
                    }
                }
            }
            El("h2") { T(t("notices.reports")) }
            if reports.isEmpty {
                El("p", ["class": "muted"]) { T(t("notices.no_reports")) }
            } else {
                El("ul", ["id": "my-reports"]) {
                    for report in reports {
                        El("li") {
                            El("a", ["href": Paths.postNumber(report.number, inTopic: report.topicID)]) { T(report.title) }
                            T(" · " + t("flag.reason.\(report.reason.rawValue)") + " · ")
                            El("span", ["class": "report-status"]) {
                                T(report.outcome.map { t("notices.report_outcome.\($0.rawValue)") } ?? t("notices.report_received"))
                            }
                        }
                    }
                }
            }
            El("p") {
                T(t("notices.help") + " ")
                El("a", ["href": "/help"]) { T(t("layout.help_now")) }
            }
        }
    }
}

/// A report's reason, note and button: the same for a post and a private message.
struct ReportFields: Component {
    let form: ReportForm
    let errors: FormErrors
    let context: PageContext

    var body: Component {
        let t = context.t
        return ComponentGroup {
            RadioGroup(
                name: "reason", legend: t("report.reason"), options: Flag.Reason.allCases.map { ($0.rawValue, t("flag.reason.\($0.rawValue)")) },
                selected: form.reason, error: errors.message(for: "reason-disrespectful").map { t($0) })
            TextAreaRow(
                id: "note", label: t("report.note"), hint: t("report.note_hint"), value: form.note ?? "",
                error: errors.message(for: "note").map { t($0) }, required: false, rows: 3, maxLength: 2_000)
            SubmitRow(id: "report-submit", label: t("report.submit"))
        }
    }
}
