import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Who may reach which page", .serialized)
struct AccessTests {
    @Test("a visitor is sent to the login page and returned afterwards", arguments: ["/settings", "/manual", "/admin", "/mod", "/research"])
    func visitorIsRedirected(path: String) async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).get(path)
            #expect(response.status == .seeOther)
            #expect(response.location == "/login?next=\(path)")
        }
    }

    @Test("after login the member lands where they were going")
    func returnsToNext() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            let login = try await browser.get("/login?next=%2Fsettings")
            #expect(login.text.contains("name=\"next\" value=\"/settings\""))
            // The first login passes by the invitation to introduce oneself, keeping the destination.
            let first = try await browser.post("/login", [("email", member.email), ("password", goodPassword), ("next", "/settings")])
            #expect(first.location == "/intro?next=/settings")
            let skipped = try await browser.post("/intro", [("skip", "1"), ("next", "/settings")])
            #expect(skipped.location == "/manual?first=1&next=/settings")
            #expect(try await browser.get("/manual?first=1&next=/settings").text.contains("href=\"/settings\""))
            let again = TestBrowser(app)
            let response = try await again.post("/login", [("email", member.email), ("password", goodPassword), ("next", "/settings")])
            #expect(response.location == "/settings")
        }
    }

    @Test(
        "login never redirects off the site",
        arguments: ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", "/%0d%0aSet-Cookie:x"])
    func noOpenRedirect(next: String) async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let response = try await TestBrowser(app).post("/login", [("email", member.email), ("password", goodPassword), ("next", next)])
            let location = try #require(response.location)
            #expect(location.hasPrefix("/"))
            #expect(!location.hasPrefix("//"))
            #expect(!location.contains("\\"))
        }
    }

    @Test("a member cannot reach moderator, admin or research pages", arguments: ["/mod", "/admin", "/research"])
    func memberIsForbidden(path: String) async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, try await Fixtures.member(app))
            let response = try await browser.get(path)
            #expect(response.status == .forbidden)
            #expect(response.text.contains("data-status=\"403\""))
            #expect(response.text.contains("href=\"/help\""))
        }
    }

    @Test("a member cannot change roles")
    func memberCannotChangeRoles() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            let member = try await Fixtures.member(app)
            try await Fixtures.logIn(browser, member)
            let response = try await browser.post("/admin/members/\(try member.requireID())/role", [("role", "admin")])
            #expect(response.status == .forbidden)
            #expect(try await Member.find(member.id, on: app.db)?.role == .member)
        }
    }

    @Test("each role reaches its own pages", arguments: [(Role.moderator, "/mod"), (.admin, "/admin"), (.admin, "/mod"), (.researcher, "/research")])
    func roleReachesPages(role: Role, path: String) async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, try await Fixtures.member(app, role: role))
            #expect(try await browser.get(path).status == .ok)
        }
    }

    @Test("a moderator cannot reach admin pages and a researcher cannot reach moderation")
    func rolesAreSeparate() async throws {
        try await withConnectApp { app in
            let moderator = TestBrowser(app)
            try await Fixtures.logIn(moderator, try await Fixtures.member(app, role: .moderator))
            #expect(try await moderator.get("/admin").status == .forbidden)
            let researcher = TestBrowser(app)
            try await Fixtures.logIn(researcher, try await Fixtures.member(app, role: .researcher))
            #expect(try await researcher.get("/mod").status == .forbidden)
        }
    }
}
