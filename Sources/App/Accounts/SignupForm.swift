import Vapor
import TextRules

/// What the sign-up form sends. Fields are optional so a missing one is a form error, not a crash.
struct SignupForm: Content {
    var email: String?
    var password: String?
    var pseudonym: String?
    var real_name: String?
    var accept_terms: String?
    var accept_privacy: String?
    var accept_rules: String?

    var emailValue: String { Member.normalise(email: email ?? "") }
    /// As stored: normalised (NFKC, trimmed, single spaces), see `PseudonymRules.normalise`.
    var pseudonymValue: String { PseudonymRules.normalise(pseudonym ?? "") }
    var realNameValue: String? {
        let v = (real_name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
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
        return errors
    }
}

/// A light check of an email address: the mail itself proves it.
enum EmailAddress {
    static func isPlausible(_ value: String) -> Bool {
        guard value.count <= 254, !value.contains(" "), !value.contains("\r"), !value.contains("\n") else { return false }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return true
    }
}
