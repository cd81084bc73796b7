import Plot
import Vapor

/// Asks for the email address to send a reset link to.
struct ForgotPasswordPage {
    var email = ""
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("forgot.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("forgot.title")) }
            El("p", ["class": "lead"]) { T(t("forgot.lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "forgot-form", "class": "stack-form", "method": "post", "action": "/password/forgot", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(
                    id: "email", type: "email", label: t("field.email"), value: email,
                    error: errors.message(for: "email").map { t($0) }, autocomplete: "email", maxLength: 254)
                SubmitRow(id: "forgot-submit", label: t("forgot.submit"))
            }
        }
    }
}

/// Sets a new password from an emailed link.
struct ResetPasswordPage {
    let token: String
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("reset.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("reset.title")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "reset-form", "class": "stack-form", "method": "post", "action": Paths.passwordReset(token: token), "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(
                    id: "password", type: "password", label: t("field.new_password"), hint: t("signup.password_hint"),
                    error: errors.message(for: "password").map { t($0) }, autocomplete: "new-password", maxLength: 72)
                TextFieldRow(
                    id: "password_confirm", type: "password", label: t("field.password_confirm"),
                    error: errors.message(for: "password_confirm").map { t($0) }, autocomplete: "new-password", maxLength: 72)
                SubmitRow(id: "reset-submit", label: t("reset.submit"))
            }
        }
    }
}
