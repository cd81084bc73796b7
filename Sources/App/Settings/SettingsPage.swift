import Foundation
import Plot
import Vapor

/// The settings page: profile name, email, language and time zone, safety plan, two-factor
/// sign-in, sessions, password, and the member's data. Each part is its own form; a form with
/// problems comes back with its errors and what was typed.
struct SettingsPage {
    /// Which form the errors belong to.
    enum Part: String { case pseudonym, email, language, password }

    let member: Member
    var sessions: [MemberSession] = []
    var current: UUID? = nil
    var errors = FormErrors()
    var failed: Part? = nil
    /// What was typed in the failed form (never passwords).
    var typed: [String: String] = [:]
    /// When the pseudonym may change again, if not now.
    var nextPseudonymChange: Date? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let e = { (part: Part, field: String) in failed == part ? errors.message(for: field).map { t($0) } : nil }
        let summary = { (part: Part) -> Component in
            failed == part && !errors.isEmpty ? ErrorSummary(errors: errors, context: c) : ComponentGroup(members: [])
        }
        return req.page(t("settings.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("settings.title")) }
            El("nav", ["aria-label": t("settings.contents"), "class": "settings-contents"]) {
                El("ul", ["class": "inline-list"]) {
                    for (anchor, key) in [
                        ("pseudonym-heading", "settings.pseudonym"), ("email-heading", "settings.email"),
                        ("language-heading", "settings.language"), ("safety-plan-heading", "safety_plan.title"),
                        ("sessions-heading", "settings.sessions"), ("password-heading", "settings.password"),
                        ("data-heading", "settings.your_data"),
                    ] {
                        El("li") { El("a", ["href": "#\(anchor)"]) { T(t(key)) } }
                    }
                }
            }
            El("section", ["aria-labelledby": "pseudonym-heading"]) {
                El("h2", ["id": "pseudonym-heading"]) { T(t("settings.pseudonym")) }
                El("p") {
                    T(t("settings.pseudonym_lead") + " ")
                    El("a", ["href": Paths.profile(member)]) { T(t("settings.view_profile")) }
                }
                summary(.pseudonym)
                if let next = nextPseudonymChange {
                    El("p", ["id": "pseudonym-wait", "class": "callout"]) {
                        T(t("settings.pseudonym_wait", ["date": DateFormatting.day(next, locale: c.locale)]))
                    }
                }
                El("form", ["id": "pseudonym-form", "class": "stack-form", "method": "post", "action": "/settings/pseudonym", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    TextFieldRow(
                        id: "new_pseudonym", type: "text", label: t("settings.new_pseudonym"), hint: t("settings.pseudonym_hint"),
                        value: typed["new_pseudonym"] ?? member.pseudonym, error: e(.pseudonym, "new_pseudonym"),
                        autocomplete: "nickname", maxLength: 30)
                    SubmitRow(id: "pseudonym-submit", label: t("settings.change_pseudonym"))
                }
            }
            El("section", ["aria-labelledby": "email-heading"]) {
                El("h2", ["id": "email-heading"]) { T(t("settings.email")) }
                El("p", ["id": "current-email"]) { T(t("settings.email_current", ["email": member.email])) }
                if let pending = member.pendingEmail {
                    El("p", ["id": "pending-email", "class": "callout"]) { T(t("settings.email_pending", ["email": pending])) }
                }
                summary(.email)
                El("form", ["id": "email-form", "class": "stack-form", "method": "post", "action": "/settings/email", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    TextFieldRow(
                        id: "new_email", type: "email", label: t("settings.new_email"), hint: t("settings.email_hint"),
                        value: typed["new_email"] ?? "", error: e(.email, "new_email"), autocomplete: "email", maxLength: 254)
                    TextFieldRow(
                        id: "email_password", type: "password", label: t("field.current_password"),
                        error: e(.email, "email_password"), autocomplete: "current-password", maxLength: 200)
                    SubmitRow(id: "email-submit", label: t("settings.change_email"))
                }
            }
            El("section", ["aria-labelledby": "language-heading"]) {
                El("h2", ["id": "language-heading"]) { T(t("settings.language")) }
                summary(.language)
                El("form", ["id": "language-form", "class": "stack-form", "method": "post", "action": "/settings/language"]) {
                    CSRFField(token: c.csrfToken)
                    SelectRow(
                        id: "locale", label: t("settings.language_label"),
                        options: [("", t("settings.language_browser"))] + AppLocale.allCases.map { ($0.rawValue, $0.ownName) },
                        selected: member.locale?.rawValue ?? "")
                    SelectRow(
                        id: "time_zone", label: t("settings.time_zone"), hint: t("settings.time_zone_hint"),
                        options: TimeZones.all.map { ($0, $0.replacingOccurrences(of: "_", with: " ")) },
                        selected: typed["time_zone"] ?? member.timeZone, error: e(.language, "time_zone"))
                    SubmitRow(id: "language-submit", label: t("settings.save"))
                }
            }
            // The member's other own pages, each one link away.
            El("section", ["aria-labelledby": "own-pages-heading"]) {
                El("h2", ["id": "own-pages-heading"]) { T(t("settings.own_pages")) }
                El("ul", ["id": "own-pages"]) {
                    El("li") { El("a", ["id": "notification-settings-link", "href": "/settings/notifications"]) { T(t("notify_settings.title")) } }
                    El("li") { El("a", ["id": "break-link", "href": "/settings/break"]) { T(t("break.title")) } }
                    El("li") { El("a", ["id": "avatar-link", "href": Paths.settingsAvatar]) { T(t("avatar.title")) } }
                }
            }
            El("section", ["aria-labelledby": "safety-plan-heading"]) {
                El("h2", ["id": "safety-plan-heading"]) { T(t("safety_plan.title")) }
                El("p") {
                    T(t("safety_plan.settings_lead") + " ")
                    El("a", ["id": "safety-plan-link", "href": "/settings/safety-plan"]) { T(t("safety_plan.edit")) }
                }
            }
            El("section", ["aria-labelledby": "messages-settings-heading"]) {
                El("h2", ["id": "messages-settings-heading"]) { T(t("messages.settings")) }
                El("p") {
                    T(t("settings.messages_lead") + " ")
                    El("a", ["id": "message-settings-link", "href": Paths.messageSettings]) { T(t("messages.settings")) }
                }
            }
            El("section", ["aria-labelledby": "research-settings-heading"]) {
                El("h2", ["id": "research-settings-heading"]) { T(t("research.settings_title")) }
                El("p") {
                    T(t("settings.research_lead") + " ")
                    El("a", ["id": "research-settings-link", "href": Paths.researchSettings]) { T(t("research.settings_title")) }
                }
            }
            El("section", ["aria-labelledby": "two-factor-heading"]) {
                El("h2", ["id": "two-factor-heading"]) { T(t("settings.two_factor")) }
                El("p") {
                    T(t(member.hasTwoFactor ? "two_factor.is_on" : "two_factor.lead") + " ")
                    El("a", ["id": "two-factor-link", "href": "/settings/two-factor"]) { T(t("settings.two_factor")) }
                }
            }
            El("section", ["aria-labelledby": "sessions-heading"]) {
                El("h2", ["id": "sessions-heading"]) { T(t("settings.sessions")) }
                El("p") { T(t("settings.sessions_lead")) }
                El("ul", ["id": "sessions"]) {
                    for session in sessions {
                        El("li") {
                            T(t("settings.session_since", ["date": DateFormatting.dayTime(session.createdAt, locale: c.locale)]))
                            if session.id == current {
                                T(" · ")
                                El("strong") { T(t("settings.session_this")) }
                            } else {
                                El("form", ["class": "inline-form", "method": "post", "action": Paths.sessionEnd(session)]) {
                                    CSRFField(token: c.csrfToken)
                                    El(
                                        "button",
                                        [
                                            "class": "link-button", "type": "submit",
                                            "aria-label": t(
                                                "settings.session_end_label", ["date": DateFormatting.dayTime(session.createdAt, locale: c.locale)]),
                                        ]
                                    ) {
                                        T(t("settings.session_end"))
                                    }
                                }
                            }
                        }
                    }
                }
                if sessions.count > 1 {
                    El("form", ["id": "end-others-form", "method": "post", "action": "/settings/sessions/end-others"]) {
                        CSRFField(token: c.csrfToken)
                        El("button", ["id": "end-others-submit", "class": "button button-secondary", "type": "submit"]) {
                            T(t("settings.sessions_end_others"))
                        }
                    }
                }
            }
            El("section", ["aria-labelledby": "password-heading"]) {
                El("h2", ["id": "password-heading"]) { T(t("settings.password")) }
                summary(.password)
                El("form", ["id": "password-form", "class": "stack-form", "method": "post", "action": "/settings/password", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    TextFieldRow(
                        id: "current_password", type: "password", label: t("field.current_password"),
                        error: e(.password, "current_password"), autocomplete: "current-password", maxLength: 200)
                    TextFieldRow(
                        id: "password", type: "password", label: t("field.new_password"), hint: t("signup.password_hint"),
                        error: e(.password, "password"), autocomplete: "new-password", maxLength: 72)
                    TextFieldRow(
                        id: "password_confirm", type: "password", label: t("field.password_confirm"),
                        error: e(.password, "password_confirm"), autocomplete: "new-password", maxLength: 72)
                    SubmitRow(id: "password-submit", label: t("settings.change_password"))
                }
            }
            El("section", ["aria-labelledby": "data-heading"]) {
                El("h2", ["id": "data-heading"]) { T(t("settings.your_data")) }
                El("ul") {
                    El("li") { El("a", ["id": "export-link", "href": "/settings/export"]) { T(t("export.title")) } }
                    El("li") { El("a", ["id": "leave-link", "href": "/settings/leave"]) { T(t("leave.title")) } }
                }
            }
        }
    }
}

/// The time zones offered in settings, read once.
enum TimeZones {
    static let all: [String] = TimeZone.knownTimeZoneIdentifiers.sorted()
    static let known: Set<String> = Set(all)
}
