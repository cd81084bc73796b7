import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("New terms are accepted before going on", .serialized)
struct PolicyGateTests {
    /// Publishes a new version of a page as the admin, in both languages.
    static func publish(_ admin: TestBrowser, _ slug: String, text: String) async throws {
        let response = try await admin.post(
            "/admin/pages/\(slug)",
            [
                ("title_nl", "Voorwaarden"), ("body_nl", text),
                ("title_en", "Terms"), ("body_en", text),
            ])
        guard response.status == .seeOther else { throw FixtureError("publish failed: \(response.status)") }
    }

    @Test("after new terms a member must accept them per version; help, the page itself and logging out stay open; typed text survives")
    func reacceptance() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            // A member who signed up the normal way has accepted version 1 of each page.
            let signup = TestBrowser(app)
            _ = try await signup.post(
                "/signup",
                [
                    ("email", "lid@example.org"), ("password", goodPassword), ("pseudonym", "Merel"),
                    ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
                ])
            let token = try #require(Fixtures.link(in: try await Fixtures.lastMail(app, to: "lid@example.org"), prefix: "/verify/"))
            _ = try await signup.get(token)
            let member = try #require(try await Member.query(on: app.db).filter(\.$email == "lid@example.org").first())
            member.introPromptedAt = clock.now()
            try await member.save(on: app.db)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            let topicID = try await ForumSteps.startTopic(browser)
            #expect(try await browser.get("/").status == .ok)

            clock.advance(by: 3_600)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            try await Self.publish(admin, "terms", text: "Nieuwe afspraken over *privacy*.")

            // Every page now leads to the acceptance page, and back afterwards.
            let home = try await browser.get("/t/\(topicID)")
            #expect(home.location == "/accept-terms?next=/t/\(topicID)")
            let gate = try await browser.get("/accept-terms?next=/t/\(topicID)")
            #expect(gate.status == .ok && gate.text.contains("accept_terms") && !gate.text.contains("accept_rules"))
            #expect(try await browser.get("/help").status == .ok)
            #expect(try await browser.get("/terms").status == .ok)

            // A reply typed just as the terms changed is kept and shown again after accepting.
            let reply = try await browser.post("/t/\(topicID)/reply", [("body", "Mijn zorgvuldig getypte antwoord")])
            #expect(reply.location == "/accept-terms?next=/t/\(topicID)/reply")

            // Not ticking the box is refused kindly.
            let refused = try await browser.post("/accept-terms", [("next", "/t/\(topicID)/reply")])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("accept_terms-error"))
            let accepted = try await browser.post("/accept-terms", [("accept_terms", "on"), ("next", "/t/\(topicID)/reply")])
            #expect(accepted.location == "/t/\(topicID)/reply")
            #expect(try await browser.get("/t/\(topicID)/reply").text.contains("Mijn zorgvuldig getypte antwoord"))

            let records = try await PolicyAcceptance.query(on: app.db).filter(\.$member.$id == member.requireID())
                .filter(\.$pageSlug == "terms").all().map(\.pageVersion).sorted()
            #expect(records == [1, 2])
            #expect(try await browser.get("/t/\(topicID)").status == .ok)

            // Logging out is always possible.
            clock.advance(by: 60)
            try await Self.publish(admin, "rules", text: "Nieuwe huisregels.")
            #expect(try await browser.get("/").location?.hasPrefix("/accept-terms") == true)
            #expect(try await browser.post("/logout", []).location == "/")
        }
    }
}
