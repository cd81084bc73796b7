import Foundation
import Plot
import TextRules
import Vapor

/// What the author sees at once after writing words that point to a crisis: calm, no judgement,
/// where to get help now, and an honest word when the post waits for a moderator.
struct SupportPage {
    let held: Bool
    let helpHTML: String
    let topicID: Int?
    var plan: SafetyPlan? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("support.title")) {
            El("h1") { T(t("support.title")) }
            if let plan { SafetyPlanSummary(plan: plan, context: c) }
            El("div", ["class": "callout callout-crisis", "id": "crisis-help"]) {
                El("p", ["class": "lead"]) { T(t("support.lead")) }
                El("p") { T(t("support.not_alone")) }
                El("div", ["class": "prose"]) { CookedHTML(html: helpHTML) }
            }
            if held {
                El("p", ["id": "held-notice", "class": "callout"]) { T(t("support.held")) }
            } else {
                El("p", ["id": "posted-notice"]) { T(t("support.posted")) }
            }
            if let topicID {
                El("p") { El("a", ["class": "button button-secondary", "href": Paths.topic(id: topicID)]) { T(t("support.back")) } }
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

/// The trigger rules, the test box, and (for admins) adding, switching off, import and export.
struct TriggersPage {
    let rules: [TriggerRule]
    let me: Member
    var form = TriggerRuleForm()
    var errors = FormErrors()
    var testText = ""
    var hits: [TriggerHit] = []
    var privacy: [PrivacyScanner.Finding] = []
    var tested = false
    var importText = ""

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let admin = Guardian.canAdminister(me)
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("triggers.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("triggers.title")) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) { T(t("triggers.lead")) }
            El("section", ["class": "card", "aria-labelledby": "test-heading"]) {
                El("h2", ["id": "test-heading"]) { T(t("triggers.test")) }
                El("form", ["id": "trigger-test-form", "class": "stack-form", "method": "post", "action": "/mod/triggers/test"]) {
                    CSRFField(token: c.csrfToken)
                    TextAreaRow(id: "text", label: t("triggers.test_text"), value: testText, required: false, rows: 4, maxLength: PostForm.bodyLimit)
                    SubmitRow(id: "trigger-test-submit", label: t("triggers.test_submit"))
                }
                if tested {
                    if hits.isEmpty && privacy.isEmpty {
                        El("p", ["id": "test-no-hits"]) { T(t("triggers.no_hits")) }
                    } else {
                        El("ul", ["id": "test-hits"]) {
                            for hit in hits {
                                El("li") {
                                    El("strong") { T(hit.pattern) }
                                    T(
                                        " (\(t("triggers.kind.\(hit.kind.rawValue)")); \(hit.actions.map(\.rawValue).sorted().joined(separator: ", "))): "
                                    )
                                    El("mark") { T(hit.matched) }
                                    T(" — " + hit.excerpt)
                                }
                            }
                            for finding in privacy {
                                El("li") {
                                    T(t("privacy.kind.\(finding.kind.rawValue)") + ": ")
                                    El("mark") { T(finding.text) }
                                }
                            }
                        }
                    }
                }
            }
            if admin {
                El("section", ["class": "card", "aria-labelledby": "add-rule-heading"]) {
                    El("h2", ["id": "add-rule-heading"]) { T(t("triggers.add")) }
                    if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
                    El("form", ["id": "trigger-form", "class": "stack-form", "method": "post", "action": "/admin/triggers", "novalidate": ""]) {
                        CSRFField(token: c.csrfToken)
                        TextFieldRow(
                            id: "pattern", type: "text", label: t("triggers.pattern"), hint: t("triggers.pattern_hint"),
                            value: form.pattern ?? "", error: error("pattern"), maxLength: 200)
                        SelectRow(
                            id: "language", label: t("triggers.language"),
                            options: TriggerRule.languages.map { ($0, t("admin.sources.language.\($0)")) }, selected: form.language,
                            error: error("language"))
                        SelectRow(
                            id: "kind", label: t("triggers.kind"),
                            options: TriggerRule.Kind.allCases.map { ($0.rawValue, t("triggers.kind.\($0.rawValue)")) }, selected: form.kind,
                            error: error("kind"))
                        El("fieldset") {
                            El("legend") { T(t("triggers.actions")) }
                            if let message = error("action-alert") { El("p", ["class": "field-error"]) { T(message) } }
                            for action in TriggerRule.Action.allCases {
                                El("div", ["class": "field field-checkbox"]) {
                                    VoidEl(
                                        "input",
                                        [
                                            "type": "checkbox", "id": "action-\(action.rawValue)", "name": "actions[]", "value": action.rawValue,
                                            "checked": (form.actions ?? []).contains(action.rawValue) ? "" : nil,
                                        ])
                                    El("label", ["for": "action-\(action.rawValue)"]) { T(t("triggers.action.\(action.rawValue)")) }
                                }
                            }
                        }
                        TextFieldRow(
                            id: "note", type: "text", label: t("triggers.note"), value: form.note ?? "", error: error("note"), required: false,
                            maxLength: 500)
                        SubmitRow(id: "trigger-submit", label: t("triggers.add"))
                    }
                }
                El("section", ["class": "card", "aria-labelledby": "import-heading"]) {
                    El("h2", ["id": "import-heading"]) { T(t("triggers.import")) }
                    El("p") { El("a", ["id": "export-link", "href": "/admin/triggers/export.csv"]) { T(t("triggers.export")) } }
                    El(
                        "form",
                        ["id": "trigger-import-form", "class": "stack-form", "method": "post", "action": "/admin/triggers/import", "novalidate": ""]
                    ) {
                        CSRFField(token: c.csrfToken)
                        TextAreaRow(
                            id: "csv", label: t("triggers.import_csv"), hint: t("triggers.import_hint"), value: importText,
                            error: error("csv"), rows: 5, maxLength: 200_000)
                        SubmitRow(id: "trigger-import-submit", label: t("triggers.import"))
                    }
                }
            }
            El("h2") { T(t("triggers.rules", ["count": String(rules.count)])) }
            El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": t("triggers.caption")]) {
                El("table", ["id": "trigger-rules"]) {
                    El("caption") { T(t("triggers.caption")) }
                    El("thead") {
                        El("tr") {
                            for key in [
                                "triggers.pattern", "triggers.language", "triggers.kind", "triggers.actions", "triggers.note", "triggers.state",
                            ] {
                                El("th", ["scope": "col"]) { T(t(key)) }
                            }
                        }
                    }
                    El("tbody") {
                        for rule in rules {
                            El("tr", ["class": rule.active ? "" : "muted"]) {
                                El("td") { El("code") { T(rule.pattern) } }
                                El("td") { T(rule.language) }
                                El("td") { T(t("triggers.kind.\(rule.kind.rawValue)")) }
                                El("td") { T(rule.actionSet.map { t("triggers.action.\($0.rawValue)") }.sorted().joined(separator: ", ")) }
                                El("td") { T(rule.note) }
                                El("td") {
                                    T(t(rule.active ? "triggers.on" : "triggers.off"))
                                    if admin {
                                        El("form", ["class": "inline-form", "method": "post", "action": Paths.adminTriggerToggle(rule)]) {
                                            CSRFField(token: c.csrfToken)
                                            El(
                                                "button",
                                                [
                                                    "class": "link-button", "type": "submit",
                                                    "aria-label": t(
                                                        rule.active ? "triggers.switch_off_label" : "triggers.switch_on_label",
                                                        ["pattern": rule.pattern]),
                                                ]
                                            ) {
                                                T(t(rule.active ? "triggers.switch_off" : "triggers.switch_on"))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
