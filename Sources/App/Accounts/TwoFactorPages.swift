import Plot
import Vapor

/// Setting up two-factor sign-in: the key, the code that proves it, then the recovery codes.
struct TwoFactorSetupPage {
    let member: Member
    /// The pending key (base32) while enrolling; nil once enabled.
    let secret: String?
    var errors = FormErrors()
    var recoveryCodes: [String] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("two_factor.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("two_factor.title")) }
            if !recoveryCodes.isEmpty {
                El("div", ["class": "callout", "role": "status", "id": "two-factor-enabled"]) {
                    El("h2") { T(t("two_factor.enabled")) }
                    El("p") { T(t("two_factor.recovery_intro")) }
                    El("ul", ["id": "recovery-codes", "class": "recovery-codes"]) {
                        for code in recoveryCodes { El("li") { El("code") { T(code) } } }
                    }
                }
                El("p") {
                    El("a", ["class": "button button-primary", "href": TwoFactor.isRequired(for: member) ? "/mod" : "/settings"]) {
                        T(t("two_factor.continue"))
                    }
                }
            } else if let secret {
                El("p", ["class": "lead"]) { T(t(TwoFactor.isRequired(for: member) ? "two_factor.required_lead" : "two_factor.lead")) }
                El("ol", ["class": "steps"]) {
                    El("li") { T(t("two_factor.step_app")) }
                    El("li") {
                        T(t("two_factor.step_key") + " ")
                        El("code", ["id": "totp-secret"]) { T(Self.grouped(secret)) }
                    }
                    El("li") { T(t("two_factor.step_code")) }
                }
                El("details") {
                    El("summary") { T(t("two_factor.uri")) }
                    El("p") {
                        El("code", ["id": "totp-uri", "class": "break"]) { T(TOTP.provisioningURI(secret: secret, account: member.pseudonym) ?? "") }
                    }
                }
                if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
                El("form", ["id": "two-factor-form", "class": "stack-form", "method": "post", "action": "/settings/two-factor", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    TextFieldRow(
                        id: "code", type: "text", label: t("two_factor.code"), hint: t("two_factor.code_hint"),
                        error: errors.message(for: "code").map { t($0) }, autocomplete: "one-time-code", maxLength: 20)
                    SubmitRow(id: "two-factor-submit", label: t("two_factor.enable"))
                }
            } else {
                El("p", ["id": "two-factor-status"]) { T(t("two_factor.is_on")) }
            }
        }
    }

    /// "ABCD EFGH …": easier to type from the screen.
    static func grouped(_ secret: String) -> String {
        stride(from: 0, to: secret.count, by: 4).map { i in
            let start = secret.index(secret.startIndex, offsetBy: i)
            return String(secret[start..<(secret.index(start, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }.joined(separator: " ")
    }
}

/// The second step of logging in.
struct TwoFactorLoginPage {
    let next: String
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("two_factor.login_title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("two_factor.login_title")) }
            El("p", ["class": "lead"]) { T(t("two_factor.login_lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "two-factor-login-form", "class": "stack-form", "method": "post", "action": "/login/two-factor", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "next", "value": next])
                TextFieldRow(
                    id: "code", type: "text", label: t("two_factor.code"), hint: t("two_factor.login_hint"),
                    error: errors.message(for: "code").map { t($0) }, autocomplete: "one-time-code", maxLength: 20)
                SubmitRow(id: "two-factor-login-submit", label: t("two_factor.login_submit"))
            }
        }
    }
}
