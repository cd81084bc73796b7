import Foundation
import Plot
import TextRules
import Vapor

/// What the author sees at once after writing words that point to a crisis: calm, no judgement,
/// where to get help now, and an honest word when the post waits for a moderator.
struct SupportPage {
    /// Where the words were written: what happens next differs, and the page says so honestly.
    enum Place: Sendable {
        /// A post: a moderator looks at it.
        case post
        /// A private journal entry: nobody else reads it, and nobody was told.
        case journal
        /// A private message: the moderators were told, with the words only.
        case message
        /// A questionnaire's safety item: a moderator will look in, told only that there was
        /// such an answer.
        case questionnaire
    }

    let held: Bool
    let helpHTML: String
    let topicID: Int?
    var plan: SafetyPlan? = nil
    var place = Place.post
    var conversationID: Int? = nil
    /// After a questionnaire's safety answer: the way back to it.
    var invitationID: UUID? = nil

    /// Per place: what the page says about who was told, and about the words.
    private static let keys: [Place: (String, String)] = [
        .post: ("support.not_alone", "support.posted"),
        .journal: ("support.not_alone_journal", "support.posted_journal"),
        .message: ("support.not_alone_message", "support.posted_message"),
        .questionnaire: ("support.not_alone_questionnaire", "support.posted_questionnaire"),
    ]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("support.title")) {
            El("h1") { T(t("support.title")) }
            if let plan { SafetyPlanSummary(plan: plan, context: c) }
            El("div", ["class": "callout callout-crisis", "id": "crisis-help"]) {
                El("p", ["class": "lead"]) { T(t("support.lead")) }
                El("p") {
                    T(t(Self.keys[place, default: ("support.not_alone", "")].0))
                }
                El("div", ["class": "prose"]) { CookedHTML(html: helpHTML) }
            }
            if held {
                El("p", ["id": "held-notice", "class": "callout"]) { T(t("support.held")) }
            } else {
                El("p", ["id": "posted-notice"]) {
                    T(t(Self.keys[place, default: ("", "support.posted")].1))
                }
            }
            if let invitationID {
                El("p") {
                    El("a", ["class": "button button-secondary", "id": "back-to-questionnaire", "href": Paths.questionnaire(id: invitationID)]) {
                        T(t("questionnaire.continue"))
                    }
                }
            } else if let conversationID {
                El("p") { El("a", ["class": "button button-secondary", "href": Paths.conversation(id: conversationID)]) { T(t("messages.back")) } }
            } else if let topicID {
                El("p") {
                    El("a", ["class": "button button-secondary", "href": Paths.topic(id: topicID)]) {
                        T(t(place == .journal ? "support.back_journal" : "support.back"))
                    }
                }
            }
        }
    }
}

/// Crisis alerts: open ones first, with acknowledge; then what was done.
struct AlertsPage {
    let open: [AlertRow]
    let done: [AlertRow]
    let median: TimeInterval?

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("alerts.title")) {
            El("h1") { T(t("alerts.title")) }
            ModerationNav(context: c)
            El("p", ["id": "alerts-median"]) {
                T(median.map { t("alerts.median", ["time": DashboardPage.age($0, t: t)]) } ?? t("alerts.median_none"))
            }
            El("h2") { T(t("alerts.open_heading")) }
            if open.isEmpty {
                El("p", ["id": "alerts-none", "class": "muted"]) { T(t("alerts.none")) }
            } else {
                El("ol", ["id": "open-alerts"]) {
                    for alert in open {
                        El("li", ["id": "alert-\(alert.id.uuidString)", "class": "alert-item"]) {
                            AlertSummary(alert: alert, context: c)
                            El("form", ["class": "stack-form", "method": "post", "action": Paths.modAlertAcknowledge(id: alert.id)]) {
                                CSRFField(token: c.csrfToken)
                                TextFieldRow(
                                    id: "note-\(alert.id.uuidString)", type: "text", label: t("alerts.note"),
                                    hint: t("alerts.note_hint"), maxLength: 2_000, name: "reason")
                                El("button", ["class": "button button-primary", "type": "submit", "id": "acknowledge-\(alert.id.uuidString)"]) {
                                    T(t("alerts.acknowledge"))
                                }
                            }
                        }
                    }
                }
            }
            El("h2") { T(t("alerts.done_heading")) }
            if done.isEmpty {
                El("p", ["class": "muted"]) { T(t("alerts.none_done")) }
            } else {
                El("ol", ["id": "done-alerts"]) {
                    for alert in done {
                        El("li", ["class": "alert-item"]) {
                            AlertSummary(alert: alert, context: c)
                            El("p") {
                                T(
                                    t(
                                        "alerts.acknowledged_by",
                                        [
                                            "name": alert.acknowledgedBy ?? "?",
                                            "time": DashboardPage.age(
                                                (alert.acknowledgedAt ?? alert.createdAt).timeIntervalSince(alert.createdAt), t: t),
                                        ]))
                                T(" — " + (alert.actionNote ?? ""))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Who, where, the words, when.
struct AlertSummary: Component {
    let alert: AlertRow
    let context: PageContext

    var body: Component {
        let t = context.t
        return ComponentGroup {
            El("p") {
                El("strong") {
                    if let id = alert.memberID { El("a", ["href": Paths.modMember(id: id)]) { T(alert.memberPseudonym ?? "?") } }
                }
                T(" · ")
                El("time", ["datetime": DateFormatting.iso(alert.createdAt)]) { T(DateFormatting.dayTime(alert.createdAt, locale: context.locale)) }
                if let topicID = alert.topicID, let number = alert.postNumber {
                    T(" · ")
                    El("a", ["href": Paths.postNumber(number, inTopic: topicID)]) { T(t("alerts.where")) }
                }
                if let postID = alert.postID {
                    T(" · ")
                    El("a", ["href": Paths.modPost(id: postID)]) { T(t("mod.screening.act")) }
                }
                if alert.escalatedAt != nil { T(" · " + t("alerts.escalated")) }
            }
            El("blockquote", ["class": "excerpt"]) { T(alert.excerpt) }
            El("p", ["class": "muted"]) { T(t("alerts.rule", ["rule": alert.rulePattern])) }
        }
    }
}
