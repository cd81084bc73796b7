import Foundation
import Plot
import Vapor

/// Email per kind, quiet hours and the daily budget.
struct NotificationSettingsPage {
    let prefs: NotificationPreferences
    var errors = FormErrors()
    var typed: [String: String] = [:]
    /// The responder choice as sent, when the form comes back with errors.
    var responder: Bool? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let e = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("notify_settings.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("notify_settings.title")) }
            El("p", ["class": "lead"]) { T(t("notify_settings.lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El(
                "form",
                ["id": "notify-settings-form", "class": "stack-form", "method": "post", "action": "/settings/notifications", "novalidate": ""]
            ) {
                CSRFField(token: c.csrfToken)
                El("fieldset") {
                    El("legend") { T(t("notify_settings.email_legend")) }
                    for channel in NotificationPreferences.Channel.allCases {
                        SelectRow(
                            id: "email_\(channel.rawValue)", label: t("notify_settings.channel.\(channel.rawValue)"),
                            options: channel.frequencies.map { ($0.rawValue, t("notify_settings.frequency.\($0.rawValue)")) },
                            selected: prefs.frequency(for: channel).rawValue, error: e("email_\(channel.rawValue)"))
                    }
                }
                El("fieldset") {
                    El("legend") { T(t("notify_settings.quiet_legend")) }
                    El("p", ["class": "hint"]) { T(t("notify_settings.quiet_hint", ["zone": c.member?.timeZone ?? ""])) }
                    CheckboxRow(id: "quiet_enabled", checked: prefs.quietEnabled) { T(t("notify_settings.quiet_enabled")) }
                    // Plain text ("22:00"), not type=time: a mistyped value must come back as typed,
                    // and a time field can neither hold nor show "25:00".
                    TextFieldRow(
                        id: "quiet_start", type: "text", label: t("notify_settings.quiet_start"), hint: t("notify_settings.time_hint"),
                        value: typed["quiet_start"] ?? NotificationSettingsRoutes.clock(prefs.quietStart), error: e("quiet_start"), maxLength: 5)
                    TextFieldRow(
                        id: "quiet_end", type: "text", label: t("notify_settings.quiet_end"), hint: t("notify_settings.time_hint"),
                        value: typed["quiet_end"] ?? NotificationSettingsRoutes.clock(prefs.quietEnd), error: e("quiet_end"), maxLength: 5)
                }
                TextFieldRow(
                    id: "daily_budget", type: "text", label: t("notify_settings.budget"), hint: t("notify_settings.budget_hint"),
                    value: typed["daily_budget"] ?? String(prefs.dailyBudget), error: e("daily_budget"), maxLength: 2)
                El("fieldset", ["id": "responder-setting", "aria-describedby": "responder-hint"]) {
                    El("legend") { T(t("responder.legend")) }
                    El("p", ["class": "hint", "id": "responder-hint"]) { T(t("responder.hint")) }
                    CheckboxRow(id: "responder", checked: responder ?? (c.member?.responderSince != nil)) { T(t("responder.label")) }
                }
                SubmitRow(id: "notify-settings-submit", label: t("settings.save"))
            }
            El("p") {
                El("a", ["href": "/settings/break"]) { T(t("break.title")) }
                T(" · ")
                El("a", ["href": "/settings"]) { T(t("settings.title")) }
            }
        }
    }
}

/// Taking a break: a day, a week, or until a date.
struct BreakPage {
    var length = "day"
    var until = ""
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("break.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("break.title")) }
            El("p", ["class": "lead"]) { T(t("break.lead")) }
            if c.onBreak, let until = c.member?.breakUntil {
                El("p", ["id": "break-status"]) { T(t("break.banner", ["date": DateFormatting.dayTime(until, locale: c.locale)])) }
                El("form", ["id": "break-end-form", "method": "post", "action": "/settings/break/end"]) {
                    CSRFField(token: c.csrfToken)
                    El("button", ["id": "break-end-submit", "class": "button button-primary", "type": "submit"]) { T(t("break.end")) }
                }
            } else {
                if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
                El("form", ["id": "break-form", "class": "stack-form", "method": "post", "action": "/settings/break", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    RadioGroup(
                        name: "length", legend: t("break.length"),
                        options: ["day", "week", "until"].map { ($0, t("break.length.\($0)")) },
                        selected: length, error: errors.message(for: "length-day").map { t($0) })
                    TextFieldRow(
                        id: "until", type: "date", label: t("break.until"), hint: t("break.until_hint"), value: until,
                        error: errors.message(for: "until").map { t($0) }, required: false)
                    SubmitRow(id: "break-submit", label: t("break.start"))
                }
            }
        }
    }
}

/// "While you were away": a few calm numbers, then on with the day.
struct AwayPage {
    let summary: AwaySummary
    let since: Date
    let next: String

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("away.title")) {
            El("h1", ["id": "away-title"]) { T(t("away.title")) }
            El("p", ["class": "lead"]) { T(t("away.lead", ["date": DateFormatting.day(since, locale: c.locale)])) }
            El("ul", ["id": "away-summary"]) {
                El("li") { T(t("away.for_you", count: summary.forYou)) }
                El("li") { T(t("away.replies", count: summary.repliesInMyTopics)) }
                El("li") { T(t("away.new_topics", count: summary.newTopics)) }
            }
            if !summary.topics.isEmpty {
                El("h2") { T(t("away.your_topics")) }
                El("ul") {
                    for topic in summary.topics { El("li") { El("a", ["href": Paths.topic(id: topic.id)]) { T(topic.title) } } }
                }
            }
            El("p") { T(t("away.no_rush")) }
            El("p") {
                El("a", ["id": "away-continue", "class": "button button-primary", "href": next]) { T(t("away.continue")) }
                T(" ")
                El("a", ["href": "/notifications"]) { T(t("notifications.title")) }
            }
        }
    }
}
