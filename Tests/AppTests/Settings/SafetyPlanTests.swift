import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("The personal safety plan", .serialized)
struct SafetyPlanTests {
    @Test("a member writes a plan; it is shown above the crisis help after their own crisis words; nobody else sees it")
    func planOnSupportPage() async throws {
        try await withConnectApp { app in
            let (browser, member) = try await ForumSteps.loggedIn(app)
            let tooLong = try await browser.post(
                "/settings/safety-plan",
                [
                    ("warning_signs", String(repeating: "w", count: 2_001)),
                    ("what_helps", "Wandelen met de hond"),
                ])
            #expect(tooLong.status == .unprocessableEntity && tooLong.text.contains("Wandelen met de hond"))
            #expect(
                try await browser.post(
                    "/settings/safety-plan",
                    [
                        ("warning_signs", "Ik slaap niet meer"), ("what_helps", "Wandelen met de hond"),
                        ("people", "Zus Anna 06-12345678"), ("professionals", "Huisarts"),
                    ]
                ).status == .seeOther)
            let saved = try #require(try await SafetyPlan.of(member.requireID(), on: app.db))
            #expect(saved.people == "Zus Anna 06-12345678")

            let topicID = try await ForumSteps.startTopic(browser)
            let crisis = try await browser.post("/t/\(topicID)/reply", [("body", "Ik wil niet meer leven, ik denk aan zelfmoord")])
            let target = try #require(crisis.location)
            #expect(target.hasPrefix("/support"))
            let support = try await browser.get(target)
            let plan = try #require(support.text.range(of: "my-safety-plan"))
            let help = try #require(support.text.range(of: "crisis-help"))
            #expect(plan.lowerBound < help.lowerBound)
            #expect(support.text.contains("Zus Anna 06-12345678"))

            // A moderator, another member: no way to the plan.
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(!(try await moderator.get("/settings/safety-plan")).text.contains("Zus Anna"))
            let (other, _) = try await ForumSteps.loggedIn(app)
            #expect(!(try await other.get(target)).text.contains("Zus Anna"))
        }
    }

    @Test("a plan typed while the session expired is kept and shown again after logging in")
    func expiredSessionKeepsThePlan() async throws {
        try await withConnectApp { app in
            let (browser, member) = try await ForumSteps.loggedIn(app)
            browser.forgetCookie(SessionAuthenticator.cookieName)
            let sent = try await browser.post("/settings/safety-plan", [("what_helps", "Mijn zus bellen"), ("people", "Anna 06-1111")])
            #expect(sent.location == "/login?next=/settings/safety-plan")
            try await Fixtures.logIn(browser, member)
            let page = try await browser.get("/settings/safety-plan")
            #expect(page.text.contains("Mijn zus bellen") && page.text.contains("Anna 06-1111"))
            #expect(try await SafetyPlan.of(member.requireID(), on: app.db) == nil)
        }
    }
}
