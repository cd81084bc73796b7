import Foundation
import Plot
import Vapor

/// The settings page.
struct SettingsPage {
    let member: Member
    var sessions: [MemberSession] = []
    var current: UUID? = nil
    var passwordErrors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let e = { (field: String) in passwordErrors.message(for: field).map { t($0) } }
        return req.page(t("settings.title"), status: passwordErrors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("settings.title")) }
            El("section", ["aria-labelledby": "language-heading"]) {
                El("h2", ["id": "language-heading"]) { T(t("settings.language")) }
                El("form", ["id": "language-form", "class": "stack-form", "method": "post", "action": "/settings/language"]) {
                    CSRFField(token: c.csrfToken)
                    El("div", ["class": "field"]) {
                        El("label", ["for": "locale"]) { T(t("settings.language_label")) }
                        El("select", ["id": "locale", "name": "locale"]) {
                            El("option", ["value": "", "selected": member.locale == nil ? "" : nil]) { T(t("settings.language_browser")) }
                            for locale in AppLocale.allCases {
                                El("option", ["value": locale.rawValue, "lang": locale.rawValue, "selected": member.locale == locale ? "" : nil]) {
                                    T(locale.ownName)
                                }
                            }
                        }
                    }
                    SubmitRow(id: "language-submit", label: t("settings.save"))
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
                                El("form", ["class": "inline-form", "method": "post", "action": "/settings/sessions/\(session.id?.uuidString ?? "")/end"]) {
                                    CSRFField(token: c.csrfToken)
                                    El("button", ["class": "link-button", "type": "submit",
                                                  "aria-label": t("settings.session_end_label", ["date": DateFormatting.dayTime(session.createdAt, locale: c.locale)])]) {
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
                        El("button", ["id": "end-others-submit", "class": "button button-secondary", "type": "submit"]) { T(t("settings.sessions_end_others")) }
                    }
                }
            }
            El("section", ["aria-labelledby": "password-heading"]) {
                El("h2", ["id": "password-heading"]) { T(t("settings.password")) }
                if !passwordErrors.isEmpty { ErrorSummary(errors: passwordErrors, context: c) }
                El("form", ["id": "password-form", "class": "stack-form", "method": "post", "action": "/settings/password", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    TextFieldRow(id: "current_password", type: "password", label: t("field.current_password"),
                                 error: e("current_password"), autocomplete: "current-password", maxLength: 200)
                    TextFieldRow(id: "password", type: "password", label: t("field.new_password"), hint: t("signup.password_hint"),
                                 error: e("password"), autocomplete: "new-password", maxLength: 72)
                    TextFieldRow(id: "password_confirm", type: "password", label: t("field.password_confirm"),
                                 error: e("password_confirm"), autocomplete: "new-password", maxLength: 72)
                    SubmitRow(id: "password-submit", label: t("settings.change_password"))
                }
            }
        }
    }
}
