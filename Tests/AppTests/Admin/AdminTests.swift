import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Administrators and roles", .serialized)
struct AdminTests {
    @Test("an admin changes a member's role and the change is audited")
    func changeRole() async throws {
        try await withConnectApp { app in
            let admin = try await Fixtures.member(app, role: .admin)
            let member = try await Fixtures.member(app, pseudonym: "Future Moderator")
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, admin)
            let list = try await browser.get("/admin")
            #expect(list.text.contains("Future Moderator"))
            #expect(!list.text.contains(member.email))
            let response = try await browser.post("/admin/members/\(try member.requireID())/role", [("role", "moderator")])
            #expect(response.status == .seeOther)
            #expect(try await Member.find(member.id, on: app.db)?.role == .moderator)
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "role.change").first())
            #expect(audit.actorID == admin.id)
            #expect(audit.subjectMemberID == member.id)
            #expect(audit.detail == "member -> moderator")
        }
    }

    @Test("an admin cannot remove their own admin role")
    func noSelfDemotion() async throws {
        try await withConnectApp { app in
            let admin = try await Fixtures.member(app, role: .admin)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, admin)
            _ = try await browser.post("/admin/members/\(try admin.requireID())/role", [("role", "member")])
            #expect(try await Member.find(admin.id, on: app.db)?.role == .admin)
        }
    }

    @Test("an unknown role or member is refused")
    func badInput() async throws {
        try await withConnectApp { app in
            let admin = try await Fixtures.member(app, role: .admin)
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, admin)
            _ = try await browser.post("/admin/members/\(try member.requireID())/role", [("role", "overlord")])
            #expect(try await Member.find(member.id, on: app.db)?.role == .member)
            let missing = try await browser.post("/admin/members/\(UUID())/role", [("role", "admin")])
            #expect(missing.status == .notFound)
        }
    }
}

@Suite("Creating the first administrator", .serialized)
struct AdminSetupTests {
    @Test("the one-time setup link creates the first admin and then stops working")
    func setupLink() async throws {
        try await withConnectApp { app in
            let link = try #require(try await AdminSetup.setupLinkIfNeeded(app: app))
            let path = link.replacingOccurrences(of: "http://connect.test", with: "")
            let browser = TestBrowser(app)
            #expect(try await browser.get(path).text.contains("id=\"setup-form\""))
            let bad = try await browser.post(path, [("email", "admin@example.org"), ("pseudonym", "Team"), ("password", "short")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("value=\"admin@example.org\""))
            let done = try await browser.post(path, [("email", "admin@example.org"), ("pseudonym", "Team"), ("password", goodPassword)])
            #expect(done.location == "/settings/two-factor")
            #expect(try await browser.get("/admin").location == "/settings/two-factor")
            _ = try await browser.get("/settings/two-factor")
            let admin = try #require(try await Member.query(on: app.db).filter(\.$role == .admin).first())
            let secret = try #require(admin.totpSecret)
            let code = try #require(TOTP(base32: secret)).generate(time: app.connect.clock.now())
            #expect(try await browser.post("/settings/two-factor", [("code", code)]).text.contains("recovery-codes"))
            #expect(try await browser.get("/admin").status == .ok)
            #expect(try await TestBrowser(app).get(path).text.contains("id=\"token-invalid\""))
            #expect(try await AdminSetup.setupLinkIfNeeded(app: app) == nil)
        }
    }

    @Test("an older setup link stops working when a new one is printed")
    func olderLinkInvalid() async throws {
        try await withConnectApp { app in
            let first = try #require(try await AdminSetup.setupLinkIfNeeded(app: app))
            _ = try await AdminSetup.setupLinkIfNeeded(app: app)
            let path = first.replacingOccurrences(of: "http://connect.test", with: "")
            #expect(try await TestBrowser(app).get(path).text.contains("id=\"token-invalid\""))
        }
    }
}

@Suite("A member's settings", .serialized)
struct SettingsTests {
    @Test("a member changes language and password")
    func settings() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            _ = try await browser.post("/settings/language", [("locale", "en")])
            #expect(try await browser.get("/settings").text.contains("<html lang=\"en\">"))
            let wrong = try await browser.post(
                "/settings/password",
                [("current_password", "nope-nope-nope"), ("password", "Another-Calm-Pass-7"), ("password_confirm", "Another-Calm-Pass-7")])
            #expect(wrong.status == .unprocessableEntity)
            let ok = try await browser.post(
                "/settings/password",
                [("current_password", goodPassword), ("password", "Another-Calm-Pass-7"), ("password_confirm", "Another-Calm-Pass-7")])
            #expect(ok.status == .seeOther)
            try await Fixtures.logIn(TestBrowser(app), member, password: "Another-Calm-Pass-7")
        }
    }
}
