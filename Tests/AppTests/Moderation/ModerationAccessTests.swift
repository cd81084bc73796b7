import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite("Only moderators and admins reach moderation", .serialized)
struct ModerationAccessTests {
    /// Every moderation route with a method; ids that exist are filled in by the test.
    static func routes(post: Int, member: String, item: String) -> [(HTTPMethod, String)] {
        [
            (.GET, "/mod"), (.GET, "/mod/shift"), (.POST, "/mod/shift/start"), (.POST, "/mod/shift/acknowledge"),
            (.GET, "/mod/shift/end"), (.POST, "/mod/shift/end"), (.GET, "/mod/logbook"), (.GET, "/mod/screening"),
            (.POST, "/mod/screening"), (.GET, "/mod/queue"), (.POST, "/mod/queue/\(item)/claim"), (.POST, "/mod/queue/\(item)/resolve"),
            (.GET, "/mod/queue/\(item)/welcome"), (.POST, "/mod/queue/\(item)/welcome"),
            (.GET, "/mod/posts/\(post)"), (.POST, "/mod/posts/\(post)/hide"), (.POST, "/mod/posts/\(post)/restore"),
            (.POST, "/mod/posts/\(post)/refer"), (.GET, "/mod/members"), (.GET, "/mod/members/\(member)"),
            (.POST, "/mod/members/\(member)/act"), (.POST, "/mod/members/\(member)/contact"), (.GET, "/p/\(post)/history"),
        ]
    }

    static let adminRoutes: [(HTTPMethod, String)] = [(.GET, "/admin/audit"), (.GET, "/admin/sources"), (.POST, "/admin/sources")]

    @Test("visitors, members and researchers are kept out of every moderation route; moderators get in")
    func everyRoute() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let post = try await ForumSteps.post(app, topic: topic, number: 1).requireID()
            #expect(try await bram.post("/p/\(post)/report", [("reason", "disrespectful")]).status == .seeOther)
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .welcome).first()).requireID().uuidString
            let routes = Self.routes(post: post, member: try annaMember.requireID().uuidString, item: item)

            let visitor = TestBrowser(app)
            let (researcher, _) = try await ForumSteps.loggedIn(app, role: .researcher)
            for (method, path) in routes {
                let asVisitor = method == .GET ? try await visitor.get(path) : try await visitor.post(path, [("reason", "x")])
                #expect(asVisitor.status == .seeOther, "visitor \(method) \(path): \(asVisitor.status)")
                #expect(asVisitor.location?.hasPrefix("/login") == true || method == .POST, "visitor \(method) \(path) → \(asVisitor.location ?? "")")
                for (name, browser) in [("member", bram), ("researcher", researcher)] {
                    let response = method == .GET ? try await browser.get(path) : try await browser.post(path, [("reason", "x")])
                    #expect(response.status == .forbidden, "\(name) \(method) \(path): \(response.status)")
                }
            }
            // Nothing changed hands: the post is still visible and nobody was silenced.
            #expect(try await ForumSteps.post(app, topic: topic, number: 1).screening == .unscreened)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["post.hide", "member.silence"]).count() == 0)

            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            for (method, path) in routes where method == .GET {
                let response = try await moderator.get(path)
                #expect(response.status == .ok || response.status == .seeOther, "moderator GET \(path): \(response.status)")
            }
            for (method, path) in Self.adminRoutes {
                let response = method == .GET ? try await moderator.get(path) : try await moderator.post(path, [("title", "x")])
                #expect(response.status == .forbidden, "moderator \(method) \(path): \(response.status)")
            }
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(try await admin.get("/admin/audit").status == .ok)
            #expect(try await admin.get("/mod").status == .ok)
        }
    }

    @Test("the audit log refuses changes and deletions at the database")
    func auditIsAppendOnly() async throws {
        try await withConnectApp { app in
            let event = AuditEvent(actorID: nil, action: "test.event", subjectMemberID: nil, detail: "kept", createdAt: Date())
            try await event.create(on: app.db)
            let sql = app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_events SET detail = 'changed'").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_events").run()
            }
            #expect(try await AuditEvent.query(on: app.db).first()?.detail == "kept")
        }
    }
}
