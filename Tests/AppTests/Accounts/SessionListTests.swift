import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Members see and end their sessions", .serialized)
struct SessionListTests {
    @Test("settings list the member's sessions; one can be ended, or all others; nobody ends another member's session")
    func sessions() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let laptop = TestBrowser(app)
            try await Fixtures.logIn(laptop, member)
            let phone = TestBrowser(app)
            try await Fixtures.logIn(phone, member)
            let tablet = TestBrowser(app)
            try await Fixtures.logIn(tablet, member)
            let page = try await laptop.get("/settings")
            #expect(page.text.contains("id=\"sessions\"") && page.text.contains("end-others-form"))
            let sessions = try await MemberSession.query(on: app.db).filter(\.$member.$id == member.requireID()).all()
            #expect(sessions.count == 3)

            let (stranger, _) = try await ForumSteps.loggedIn(app)
            #expect(try await stranger.post("/settings/sessions/\(try sessions[0].requireID().uuidString)/end", []).status == .notFound)
            #expect(try await MemberSession.query(on: app.db).filter(\.$member.$id == member.requireID()).count() == 3)

            #expect(try await laptop.post("/settings/sessions/end-others", []).status == .seeOther)
            #expect(try await MemberSession.query(on: app.db).filter(\.$member.$id == member.requireID()).count() == 1)
            #expect(try await phone.get("/settings").location?.hasPrefix("/login") == true)
            #expect(try await laptop.get("/settings").status == .ok)
        }
    }
}
