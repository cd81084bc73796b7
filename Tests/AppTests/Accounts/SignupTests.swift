import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Signing up", .serialized)
struct SignupTests {
    func signupFields(
        email: String = "anna@example.org", pseudonym: String = "Quiet Heron", password: String = goodPassword,
        accept: Bool = true
    ) -> [(String, String)] {
        var fields = [("email", email), ("pseudonym", pseudonym), ("real_name", "Anna de Vries"), ("password", password)]
        if accept { fields += [("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on")] }
        return fields
    }

    @Test("a newcomer signs up, gets a verification mail and the acceptances are recorded")
    func happyPath() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            let page = try await browser.get("/signup")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"signup-form\""))
            let response = try await browser.post("/signup", signupFields())
            #expect(response.status == .ok)
            #expect(response.text.contains("id=\"signup-done\""))

            let member = try #require(try await Member.query(on: app.db).filter(\.$email == "anna@example.org").first())
            #expect(member.pseudonym == "Quiet Heron")
            #expect(member.realName == "Anna de Vries")
            #expect(member.role == .member)
            #expect(!member.isVerified)
            #expect(member.passwordHash.hasPrefix("$2"))
            let acceptances = try await PolicyAcceptance.query(on: app.db).filter(\.$member.$id == member.requireID()).all()
            #expect(Set(acceptances.map(\.pageSlug)) == ["terms", "privacy", "rules"])
            #expect(acceptances.allSatisfy { $0.pageVersion == 1 })

            let mail = try await Fixtures.lastMail(app, to: "anna@example.org")
            #expect(Fixtures.link(in: mail, prefix: "/verify/") != nil)
        }
    }

    @Test("a form with problems comes back with what was typed, except the password")
    func invalidFormKeepsValues() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            let response = try await browser.post(
                "/signup", signupFields(email: "not-an-email", pseudonym: "Soft <b>Rain</b>", password: "short", accept: false))
            #expect(response.status == .unprocessableEntity)
            let html = response.text
            #expect(html.contains("class=\"form-errors\""))
            #expect(html.contains("value=\"not-an-email\""))
            #expect(html.contains("value=\"Soft &lt;b&gt;Rain&lt;/b&gt;\""))
            #expect(html.contains("value=\"Anna de Vries\""))
            #expect(!html.contains("short"))
            #expect(html.contains("aria-invalid=\"true\""))
            #expect(try await Member.query(on: app.db).count() == 0)
        }
    }

    @Test("a common password is refused", arguments: ["1234567890", "password123", "qwertyuiop"])
    func commonPassword(password: String) async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).post("/signup", signupFields(password: password))
            #expect(response.status == .unprocessableEntity)
            #expect(try await Member.query(on: app.db).count() == 0)
        }
    }

    @Test("a pseudonym already in use, in any case, is refused")
    func duplicatePseudonym() async throws {
        try await withConnectApp { app in
            try await Fixtures.member(app, pseudonym: "Quiet Heron")
            let response = try await TestBrowser(app).post("/signup", signupFields(pseudonym: "quiet HERON"))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(app.connect.localizer.text("signup.error.pseudonym_taken", .nl)))
        }
    }

    @Test("signing up with a registered email answers the same and mails the owner instead")
    func duplicateEmailIsNotRevealed() async throws {
        try await withConnectApp { app in
            try await Fixtures.member(app, email: "known@example.org", pseudonym: "Owner")
            let known = try await TestBrowser(app).post("/signup", signupFields(email: "known@example.org", pseudonym: "Other One"))
            let unknown = try await TestBrowser(app).post("/signup", signupFields(email: "new@example.org", pseudonym: "Other Two"))
            #expect(known.status == unknown.status)
            #expect(known.text.contains("id=\"signup-done\""))
            #expect(unknown.text.contains("id=\"signup-done\""))
            #expect(try await Member.query(on: app.db).filter(\.$email == "known@example.org").count() == 1)
            let mail = try #require(try await Fixtures.lastMail(app, to: "known@example.org"))
            #expect(mail.textBody.contains("/login"))
        }
    }

    @Test("signing up is rate limited per address")
    func rateLimited() async throws {
        try await withConnectApp(adjust: { $0.rateLimits.signupPerIP.limit = 2 }) { app in
            let browser = TestBrowser(app)
            for i in 0..<2 {
                let r = try await browser.post("/signup", signupFields(email: "p\(i)@example.org", pseudonym: "Person \(i)"))
                #expect(r.status == .ok)
            }
            let blocked = try await browser.post("/signup", signupFields(email: "p9@example.org", pseudonym: "Person 9"))
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.headers.first(name: "Retry-After") != nil)
            #expect(blocked.text.contains("data-status=\"429\""))
        }
    }
}
