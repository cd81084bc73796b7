import TextRules
import Vapor

/// The "forgot password" form.
struct ForgotPasswordForm: Content {
    var email: String?
}

/// The form that sets a new password from an emailed link.
struct ResetPasswordForm: Content {
    var password: String?
    var password_confirm: String?

    func validate(policy: PasswordPolicy, member: Member) -> FormErrors {
        var errors = FormErrors()
        if let problem = policy.problem(with: password ?? "", alsoRefusing: [member.email, member.pseudonym]) {
            errors.add("password", problem.rawValue)
        } else if password != password_confirm {
            errors.add("password_confirm", "password.mismatch")
        }
        return errors
    }
}
