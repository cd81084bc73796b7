import Foundation
import Plot
import Vapor

/// The login form; also shows the "verify your email first" notice with a resend button.
struct LoginPage {
    var email = ""
    var next = "/"
    var errors = FormErrors()
    var unverified = false
    /// Set when a moderator suspended the account: the member learns until when.
    var suspendedUntil: Date? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let status: HTTPResponseStatus = unverified || suspendedUntil != nil ? .forbidden : (errors.isEmpty ? .ok : .unprocessableEntity)
        return req.page(t("login.title"), status: status) {
            El("h1") { T(t("login.title")) }
            if unverified {
                El("div", ["id": "unverified-notice", "class": "callout", "role": "alert"]) {
                    El("h2") { T(t("login.unverified_title")) }
                    El("p") { T(t("login.unverified_body")) }
                    El("form", ["id": "resend-form", "class": "inline-form", "method": "post", "action": "/verify/resend"]) {
                        CSRFField(token: c.csrfToken)
                        VoidEl("input", ["type": "hidden", "name": "email", "value": email])
                        El("button", ["id": "resend-submit", "class": "button button-secondary", "type": "submit"]) { T(t("login.resend")) }
                    }
                }
            }
            if let until = suspendedUntil {
                El("div", ["id": "suspended-notice", "class": "callout", "role": "alert"]) {
                    El("h2") { T(t("login.suspended_title")) }
                    El("p") {
                        T(
                            until >= ModerationAction.indefinitely
                                ? t("login.suspended_indefinitely")
                                : t("login.suspended_until", ["date": DateFormatting.dayTime(until, locale: c.locale)]))
                    }
                    El("p") { El("a", ["href": "/help"]) { T(t("login.suspended_help")) } }
                }
            }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "login-form", "class": "stack-form", "method": "post", "action": "/login", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "next", "value": next])
                TextFieldRow(
                    id: "email", type: "email", label: t("field.email"), value: email,
                    error: errors.message(for: "email").map { t($0) }, autocomplete: "email", maxLength: 254)
                TextFieldRow(
                    id: "password", type: "password", label: t("field.password"),
                    error: errors.message(for: "password").map { t($0) }, autocomplete: "current-password", maxLength: 200)
                SubmitRow(id: "login-submit", label: t("login.submit"))
            }
            El("p") { El("a", ["href": "/password/forgot"]) { T(t("login.forgot_link")) } }
            El("p") {
                T(t("login.no_account") + " ")
                El("a", ["href": "/signup"]) { T(t("signup.title")) }
            }
        }
    }
}
