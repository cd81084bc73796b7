import Plot
import Vapor

/// The settings page.
struct SettingsPage {
    let member: Member
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
