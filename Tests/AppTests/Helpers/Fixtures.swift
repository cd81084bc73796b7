import Fluent
import Foundation
import VaporTesting

@testable import App

/// A password that passes the policy.
let goodPassword = "Calm-Harbour-2026!x"

/// Ready-made members and the steps people take, so tests read as sentences.
enum Fixtures {
    /// Creates a verified member directly in the database.
    @discardableResult
    static func member(
        _ app: Application, email: String = "member-\(UUID().uuidString.prefix(8))@example.org",
        pseudonym: String = "Member\(Int.random(in: 1000...999_999))", role: Role = .member,
        password: String = goodPassword, verified: Bool = true, locale: AppLocale? = nil
    ) async throws -> Member {
        let now = app.connect.clock.now()
        let member = Member(
            email: email.lowercased(), passwordHash: try app.password.hash(password), pseudonym: pseudonym,
            realName: nil, role: role, locale: locale, createdAt: now)
        if verified { member.emailVerifiedAt = now }
        // The team must use two-factor sign-in: their fixtures come with it set up.
        if TwoFactor.isRequired(for: member) {
            member.totpSecret = TOTP.newSecret()
            member.totpEnabledAt = now
        }
        try await member.create(on: app.db)
        return member
    }

    /// Logs a browser in as the member.
    static func logIn(_ browser: TestBrowser, _ member: Member, password: String = goodPassword) async throws {
        let response = try await browser.post("/login", [("email", member.email), ("password", password), ("next", "/")])
        guard response.status == .seeOther else {
            throw FixtureError("login failed with \(response.status): \(response.text.prefix(300))")
        }
        if response.location?.hasPrefix("/login/two-factor") == true {
            try await secondFactor(browser, member)
        }
    }

    /// Answers the second step of logging in with the member's current TOTP code.
    static func secondFactor(_ browser: TestBrowser, _ member: Member) async throws {
        guard let secret = member.totpSecret, let totp = TOTP(base32: secret) else { throw FixtureError("no TOTP key") }
        let code = totp.generate(time: browser.app.connect.clock.now())
        let response = try await browser.post("/login/two-factor", [("code", code), ("next", "/")])
        guard response.status == .seeOther else {
            throw FixtureError("second factor failed with \(response.status): \(response.text.prefix(300))")
        }
    }

    /// Crisis alerts go to the moderators' mailbox and, after 30 minutes unacknowledged, to the escalation address.
    static func alertMailboxes(_ config: inout AppConfig) {
        config.moderatorAlertEmail = "moderators@example.org"
        config.alertEscalationEmail = "escalation@example.org"
        config.alertEscalationMinutes = 30
    }

    /// The newest mail in the outbox for a recipient.
    static func lastMail(_ app: Application, to recipient: String) async throws -> OutboxMail? {
        try await OutboxMail.query(on: app.db).filter(\.$recipient == recipient.lowercased())
            .sort(\.$createdAt, .descending).first()
    }

    /// The first link with the given path prefix in a mail's text.
    static func link(in mail: OutboxMail?, prefix: String) -> String? {
        guard let text = mail?.textBody, let range = text.range(of: "http://connect.test\(prefix)") else { return nil }
        let rest = text[range.lowerBound...]
        let end = rest.firstIndex(where: { $0.isWhitespace }) ?? rest.endIndex
        return String(rest[..<end]).replacingOccurrences(of: "http://connect.test", with: "")
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
