import Fluent
import Testing
import VaporTesting

@testable import App

/// The session cache is correct first: what a form changes is seen by the next page, what
/// changes elsewhere is seen within the stated bound, and a cached lookup costs no query.
@Suite("Session cache", .serialized)
struct SessionCacheTests {
    @Test("a logout, a role change and a suspension are seen by the very next page")
    func formsEmptyTheCache() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            // The first page notes the visit (and so is not kept); the second is kept.
            #expect(try await anna.get("/").status == .ok)
            #expect(try await anna.get("/").status == .ok)
            #expect(app.connect.sessionCache.count >= 1)

            // A role change by an admin: the member's next page is a researcher's.
            _ = try await admin.post("/admin/members/\(annaMember.requireID())/role", [("role", "researcher")])
            let asResearcher = try await anna.get("/")
            #expect(asResearcher.status == .seeOther && asResearcher.location == "/research")
            _ = try await admin.post("/admin/members/\(annaMember.requireID())/role", [("role", "member")])
            #expect(try await anna.get("/").status == .ok)

            // A logout: the old cookie, sent again at once, no longer opens a member page.
            let cookie = try #require(anna.cookies[SessionAuthenticator.cookieName])
            _ = try await anna.post("/logout", [])
            let replay = TestBrowser(app)
            replay.setCookie(SessionAuthenticator.cookieName, cookie)
            #expect(try await replay.get("/settings").status == .seeOther)

            // A suspension by a moderator: the member is logged out on the next page.
            let (bram, bramMember) = try await ForumSteps.loggedIn(app)
            #expect(try await bram.get("/settings").status == .ok)
            let response = try await moderator.post(
                "/mod/members/\(bramMember.requireID())/act", [("kind", "suspend"), ("days", "7"), ("reason", "Herhaalde bedreigingen")])
            #expect(response.status == .seeOther, "\(response.text.prefix(300))")
            let suspended = try await Member.find(bramMember.requireID(), on: app.db)
            #expect(suspended?.suspendedUntil != nil)
            #expect(try await bram.get("/settings").status == .seeOther)
        }
    }

    @Test("a cached page reads no session from the database; another server's change is seen within the bound")
    func boundedStaleness() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock, adjust: { $0.sessionCacheSeconds = 1 }) { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter), at: .beginning)
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            _ = try await anna.get("/settings")
            _ = try await anna.get("/settings")
            counter.reset()
            #expect(try await anna.get("/settings").status == .ok)
            #expect(!counter.statements.contains { $0.contains("s.token_hash") }, "\(counter.statements)")

            // Another server (here: the database directly) ends the session.
            try await MemberSession.query(on: app.db).filter(\.$member.$id == annaMember.requireID()).delete()
            #expect(try await anna.get("/settings").status == .ok, "still within the bound")
            clock.advance(by: 1)
            #expect(try await anna.get("/settings").status == .seeOther)
        }
    }

    @Test("an expired session is refused from the cache too, and SESSION_CACHE_SECONDS=0 turns it off")
    func expiryAndOff() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            #expect(try await anna.get("/settings").status == .ok)
            clock.advance(by: app.connect.config.sessionLifetime + 60)
            #expect(try await anna.get("/settings").status == .seeOther)
        }
        try await withConnectApp(adjust: { $0.sessionCacheSeconds = 0 }) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            #expect(try await anna.get("/settings").status == .ok)
            #expect(app.connect.sessionCache.count == 0)
        }
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["SESSION_CACHE_SECONDS": "600"]) }
    }
}

@Suite("Secure tokens")
struct SecureTokenTests {
    @Test("the stored hash is SHA-256 in lower-case hexadecimal, as before the faster encoding")
    func hashIsHex() {
        #expect(SecureToken.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecureToken.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
