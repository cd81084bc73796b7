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
    var pseudonymValue: String { (pseudonym ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    var realNameValue: String? {
        let v = (real_name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }

    static let pseudonymLength = 2...30

    /// Checks every field; the pseudonym's uniqueness is checked by the service.
    func validate(policy: PasswordPolicy) -> FormErrors {
        var errors = FormErrors()
        if !EmailAddress.isPlausible(emailValue) { errors.add("email", "signup.error.email") }
        let p = pseudonymValue
        if !Self.pseudonymLength.contains(p.count) {
            errors.add("pseudonym", "signup.error.pseudonym_length")
        } else if !Self.isAllowedPseudonym(p) {
            errors.add("pseudonym", "signup.error.pseudonym_characters")
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

    /// Letters (any script), digits, spaces, dots, dashes and underscores; no look-alike tricks
    /// with control or invisible characters.
    static func isAllowedPseudonym(_ value: String) -> Bool {
        value.unicodeScalars.allSatisfy { s in
            CharacterSet.letters.contains(s) || CharacterSet.decimalDigits.contains(s) || " ._-".unicodeScalars.contains(s)
        } && value.first.map { !$0.isWhitespace } == true
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
