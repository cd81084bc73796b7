import Plot
import Vapor

/// The sign-up form, empty or with what was typed and what needs fixing.
struct SignupPage {
    var form = SignupForm()
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("signup.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("signup.title")) }
            El("p", ["class": "lead"]) { T(t("signup.lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "signup-form", "class": "stack-form", "method": "post", "action": "/signup", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(
                    id: "email", type: "email", label: t("field.email"), hint: t("signup.email_hint"),
                    value: form.email ?? "", error: error("email"), autocomplete: "email", maxLength: 254)
                TextFieldRow(
                    id: "pseudonym", type: "text", label: t("field.pseudonym"), hint: t("signup.pseudonym_hint"),
                    value: form.pseudonym ?? "", error: error("pseudonym"), autocomplete: "nickname", maxLength: 30)
                TextFieldRow(
                    id: "real_name", type: "text", label: t("field.real_name_optional"), hint: t("signup.real_name_hint"),
                    value: form.real_name ?? "", error: error("real_name"), autocomplete: "name", required: false, maxLength: 100)
                TextFieldRow(
                    id: "password", type: "password", label: t("field.password"), hint: t("signup.password_hint"),
                    error: error("password"), autocomplete: "new-password", maxLength: 72)
                El("fieldset", ["class": "fieldset"]) {
                    El("legend") { T(t("signup.agreements")) }
                    CheckboxRow(id: "accept_terms", checked: form.accept_terms == "on", error: error("accept_terms")) {
                        T(t("signup.accept_terms_before") + " ")
                        El("a", ["href": "/terms"]) { T(t("page.terms")) }
                    }
                    CheckboxRow(id: "accept_privacy", checked: form.accept_privacy == "on", error: error("accept_privacy")) {
                        T(t("signup.accept_privacy_before") + " ")
                        El("a", ["href": "/privacy"]) { T(t("page.privacy")) }
                    }
                    CheckboxRow(id: "accept_rules", checked: form.accept_rules == "on", error: error("accept_rules")) {
                        T(t("signup.accept_rules_before") + " ")
                        El("a", ["href": "/rules"]) { T(t("page.rules")) }
                    }
                    CheckboxRow(id: "confirm_adult", checked: form.confirm_adult == "on", error: error("confirm_adult")) {
                        T(t("signup.confirm_adult"))
                    }
                }
                SubmitRow(id: "signup-submit", label: t("signup.submit"))
            }
            El("p") {
                T(t("signup.have_account") + " ")
                El("a", ["href": "/login"]) { T(t("login.title")) }
            }
        }
    }
}
