import TextRules
import Vapor

/// What the sign-up form sends. Fields are optional so a missing one is a form error, not a crash.
struct SignupForm: Content {
    var email: String?
    var password: String?
    var pseudonym: String?
    var real_name: String?
    var accept_terms: String?
    var accept_privacy: String?
    var accept_rules: String?
    /// "I am 18 or older", as the home page says membership requires.
    var confirm_adult: String?

    var emailValue: String { Member.normalise(email: email ?? "") }
    /// As stored: normalised (NFKC, trimmed, single spaces), see `PseudonymRules.normalise`.
    var pseudonymValue: String { PseudonymRules.normalise(pseudonym ?? "") }
    var realNameValue: String? {
        // No line breaks or other control characters: the name may appear in a mail header.
        let v = String(
            String.UnicodeScalarView(
                (real_name ?? "").unicodeScalars.filter {
                    !$0.properties.isNoncharacterCodePoint && $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
                })
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }

    /// Checks every field; the pseudonym's uniqueness is checked by the service. Only the team
    /// (the first administrator, `create-admin`) may use the words reserved for it.
    func validate(policy: PasswordPolicy, forTeam: Bool = false) -> FormErrors {
        var errors = FormErrors()
        if !EmailAddress.isPlausible(emailValue) { errors.add("email", "signup.error.email") }
        let p = pseudonymValue
        if let problem = PseudonymRules.problem(with: p, mayUseTeamWords: forTeam) {
            errors.add("pseudonym", problem.rawValue)
        }
        if let name = realNameValue, name.count > 100 { errors.add("real_name", "signup.error.real_name_length") }
        if let problem = policy.problem(with: password ?? "", alsoRefusing: [emailValue, p]) {
            errors.add("password", problem.rawValue)
        }
        if accept_terms != "on" { errors.add("accept_terms", "signup.error.accept_terms") }
        if accept_privacy != "on" { errors.add("accept_privacy", "signup.error.accept_privacy") }
        if accept_rules != "on" { errors.add("accept_rules", "signup.error.accept_rules") }
        // The team is set up by an administrator; members confirm their age themselves.
        if !forTeam && confirm_adult != "on" { errors.add("confirm_adult", "signup.error.confirm_adult") }
        return errors
    }
}
