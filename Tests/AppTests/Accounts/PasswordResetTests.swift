import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Resetting a password", .serialized)
struct PasswordResetTests {
    @Test("a member resets the password by mail; the link works once and old sessions end")
    func happyPath() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let other = TestBrowser(app)
            try await Fixtures.logIn(other, member)

            let browser = TestBrowser(app)
            let sent = try await browser.post("/password/forgot", [("email", member.email)])
            #expect(sent.text.contains("id=\"forgot-done\""))
            let link = try #require(Fixtures.link(in: try await Fixtures.lastMail(app, to: member.email), prefix: "/password/reset/"))
            #expect(try await browser.get(link).text.contains("id=\"reset-form\""))

            let mismatch = try await browser.post(link, [("password", "New-Calm-Password-1"), ("password_confirm", "Different-1234")])
            #expect(mismatch.status == .unprocessableEntity)

            let done = try await browser.post(link, [("password", "New-Calm-Password-1"), ("password_confirm", "New-Calm-Password-1")])
            #expect(done.text.contains("id=\"reset-done\""))
            #expect(try await MemberSession.query(on: app.db).count() == 0)

            let reused = try await browser.post(link, [("password", "Another-Password-22"), ("password_confirm", "Another-Password-22")])
            #expect(reused.text.contains("id=\"token-invalid\""))

            let old = try await TestBrowser(app).post("/login", [("email", member.email), ("password", goodPassword)])
            #expect(old.status == .unprocessableEntity)
            try await Fixtures.logIn(TestBrowser(app), member, password: "New-Calm-Password-1")
        }
    }

    @Test("unknown addresses get the same answer and no mail")
    func unknownEmail() async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).post("/password/forgot", [("email", "nobody@example.org")])
            #expect(response.text.contains("id=\"forgot-done\""))
            #expect(try await OutboxMail.query(on: app.db).count() == 0)
        }
    }

    @Test("an expired reset link is refused")
    func expired() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            _ = try await browser.post("/password/forgot", [("email", member.email)])
            let link = try #require(Fixtures.link(in: try await Fixtures.lastMail(app, to: member.email), prefix: "/password/reset/"))
            clock.advance(by: 3601)
            #expect(try await browser.get(link).text.contains("id=\"token-invalid\""))
            let post = try await browser.post(link, [("password", "New-Calm-Password-1"), ("password_confirm", "New-Calm-Password-1")])
            #expect(post.text.contains("id=\"token-invalid\""))
        }
    }

    @Test("a made-up token is refused")
    func madeUpToken() async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).get("/password/reset/\(SecureToken.generate())")
            #expect(response.status == .notFound)
            #expect(response.text.contains("id=\"token-invalid\""))
        }
    }

    @Test("reset requests are rate limited per account")
    func rateLimited() async throws {
        try await withConnectApp(adjust: { $0.rateLimits.resetPerAccount.limit = 2 }) { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            #expect(try await browser.post("/password/forgot", [("email", member.email)]).status == .ok)
            #expect(try await browser.post("/password/forgot", [("email", member.email)]).status == .ok)
            #expect(try await browser.post("/password/forgot", [("email", member.email)]).status == .tooManyRequests)
        }
    }
}
