import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Verifying, logging in and out", .serialized)
struct VerificationAndLoginTests {
    @Test("the verification link works once, then login succeeds")
    func verifyThenLogin() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            _ = try await browser.post(
                "/signup",
                [
                    ("email", "bram@example.org"), ("pseudonym", "Bram"), ("password", goodPassword),
                    ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
                ])
            let link = try #require(Fixtures.link(in: try await Fixtures.lastMail(app, to: "bram@example.org"), prefix: "/verify/"))

            let before = try await browser.post("/login", [("email", "bram@example.org"), ("password", goodPassword)])
            #expect(before.status == .forbidden)
            #expect(before.text.contains("id=\"unverified-notice\""))
            #expect(before.text.contains("id=\"resend-form\""))

            let verified = try await browser.get(link)
            #expect(verified.text.contains("id=\"verify-done\""))
            let again = try await browser.get(link)
            #expect(again.text.contains("id=\"token-invalid\""))

            let login = try await browser.post("/login", [("email", "BRAM@example.org"), ("password", goodPassword), ("next", "/settings")])
            #expect(login.status == .seeOther)
            #expect(login.location == "/intro?next=/settings")  // the first login invites an introduction
            let cookie = try #require(login.headers[.setCookie].first { $0.hasPrefix("dc_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            let home = try await browser.get("/")
            #expect(home.text.contains("id=\"member-home\""))
            #expect(home.text.contains("Bram"))
        }
    }

    @Test("an expired verification link is refused")
    func expiredVerification() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let browser = TestBrowser(app)
            _ = try await browser.post(
                "/signup",
                [
                    ("email", "cas@example.org"), ("pseudonym", "Cas"), ("password", goodPassword),
                    ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
                ])
            let link = try #require(Fixtures.link(in: try await Fixtures.lastMail(app, to: "cas@example.org"), prefix: "/verify/"))
            clock.advance(by: 4 * 86_400)
            let response = try await browser.get(link)
            #expect(response.text.contains("id=\"token-invalid\""))
            #expect(try await Member.query(on: app.db).filter(\.$email == "cas@example.org").first()?.isVerified == false)
        }
    }

    @Test("resending the verification mail answers the same for unknown addresses")
    func resend() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app, verified: false)
            let browser = TestBrowser(app)
            let known = try await browser.post("/verify/resend", [("email", member.email)])
            let unknown = try await browser.post("/verify/resend", [("email", "nobody@example.org")])
            #expect(known.status == unknown.status)
            #expect(known.text.contains("id=\"resend-done\""))
            #expect(unknown.text.contains("id=\"resend-done\""))
            #expect(try await Fixtures.lastMail(app, to: member.email) != nil)
            #expect(try await Fixtures.lastMail(app, to: "nobody@example.org") == nil)
        }
    }

    @Test("a wrong password and an unknown email get the same answer, keeping the email")
    func wrongCredentials() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            let wrong = try await browser.post("/login", [("email", member.email), ("password", "Not-the-right-one-1")])
            let unknown = try await browser.post("/login", [("email", "ghost@example.org"), ("password", "Not-the-right-one-1")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(unknown.status == wrong.status)
            #expect(wrong.text.contains("value=\"\(member.email)\""))
            #expect(!wrong.text.contains("Not-the-right-one-1"))
            let strip = { (s: String) in s.replacingOccurrences(of: member.email, with: "").replacingOccurrences(of: "ghost@example.org", with: "") }
            #expect(strip(wrong.text) == strip(unknown.text))
        }
    }

    @Test("logging in is rate limited per account")
    func loginRateLimit() async throws {
        try await withConnectApp(adjust: { $0.rateLimits.loginPerAccount.limit = 3 }) { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            for _ in 0..<3 {
                _ = try await browser.post("/login", [("email", member.email), ("password", "Wrong-password-99")])
            }
            let blocked = try await browser.post("/login", [("email", member.email), ("password", goodPassword)])
            #expect(blocked.status == .tooManyRequests)
        }
    }

    @Test("logging out ends the session in the database")
    func logout() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            let stolenCookie = try #require(browser.cookies[SessionAuthenticator.cookieName])
            let out = try await browser.post("/logout", [])
            #expect(out.status == .seeOther)
            #expect(try await MemberSession.query(on: app.db).count() == 0)
            // The old cookie no longer opens anything.
            browser.setCookie(SessionAuthenticator.cookieName, stolenCookie)
            let page = try await browser.get("/settings")
            #expect(page.status == .seeOther)
        }
    }

    @Test("logout without the CSRF token is refused")
    func logoutNeedsCSRF() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            let response = try await browser.post("/logout", [], includeCSRF: false)
            #expect(response.status == .forbidden)
            #expect(try await MemberSession.query(on: app.db).count() == 1)
        }
    }

    @Test("a session expires after its lifetime")
    func sessionExpires() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            #expect(try await browser.get("/settings").status == .ok)
            clock.advance(by: app.connect.config.sessionLifetime + 1)
            #expect(try await browser.get("/settings").status == .seeOther)
        }
    }
}
