import Vapor

/// What the login form sends.
struct LoginForm: Content {
    var email: String?
    var password: String?
    var next: String?

    var emailValue: String { Member.normalise(email: email ?? "") }
}
