import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Steps of the research side, taken through the real routes.
enum ResearchSteps {
    /// A researcher sets up a study that runs from yesterday for a year; returns it.
    static func study(_ app: Application) async throws -> Study {
        let (researcher, _) = try await ForumSteps.loggedIn(app, role: .researcher)
        let now = app.connect.clock.now()
        let day = { (date: Date) in String(NewsForm.format(date, zone: DateFormatting.communityZone).prefix(10)) }
        let response = try await researcher.post(
            "/research/studies",
            [
                ("name", "Meedoen en empowerment"), ("description_nl", "Hoe meedoen helpt."), ("description_en", "How taking part helps."),
                ("starts", day(now.addingTimeInterval(-86_400))), ("ends", day(now.addingTimeInterval(365 * 86_400))),
            ])
        guard response.status == .seeOther else { throw FixtureError("setting up a study failed: \(response.status) \(response.text.prefix(300))") }
        return try #require(try await Study.query(on: app.db).first())
    }
}

@Suite("Research: studies and consent", .serialized)
struct ConsentTests {
    @Test("a member is asked once, reads the letter, consents with its version, and can withdraw; all recorded")
    func consentAndWithdrawal() async throws {
        try await withConnectApp { app in
            let study = try await ResearchSteps.study(app)
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            #expect(try await anna.get("/").text.contains("research-ask"))
            let page = try await anna.get("/research/consent")
            #expect(page.status == .ok && page.text.contains("information-letter") && page.text.contains("consent-not-now"))
            let yes = try await anna.post("/research/consent", [("answer", "yes"), ("emails", "on"), ("letter_version", "1")])
            #expect(yes.status == .seeOther)
            let consent = try #require(try await ResearchQueries.consent(of: annaMember.requireID(), in: study.requireID(), on: app.db))
            #expect(consent.isGiven && consent.letterVersion == 1 && consent.emailsAllowed)
            #expect(!(try await anna.get("/").text.contains("research-ask")))
            #expect(try await anna.get("/settings/research").text.contains("withdraw-form"))
            #expect(try await anna.post("/settings/research/withdraw", []).status == .seeOther)
            let after = try #require(try await ResearchQueries.consent(of: annaMember.requireID(), in: study.requireID(), on: app.db))
            #expect(!after.isGiven && after.withdrawnAt != nil && !after.emailsAllowed)
            let actions = try await AuditEvent.query(on: app.db).filter(\.$subjectMemberID == annaMember.requireID()).all().map(\.action)
            #expect(actions.contains("research.consent.yes") && actions.contains("research.consent.withdraw"))
            // "Not now" is an answer too: not asked again on the home page.
            let (bram, _) = try await ForumSteps.loggedIn(app)
            _ = try await bram.post("/research/consent", [("answer", "not_now")])
            #expect(!(try await bram.get("/").text.contains("research-ask")))
            #expect(try await bram.post("/research/consent", [("answer", "maybe")]).status == .badRequest)
        }
    }

    @Test("researchers see counts only, small ones suppressed; members reach no research page; visitors log in")
    func permissions() async throws {
        try await withConnectApp { app in
            _ = try await ResearchSteps.study(app)
            for _ in 0..<2 {
                let (member, _) = try await ForumSteps.loggedIn(app, pseudonym: "Deelnemer\(Int.random(in: 1000...9999))")
                _ = try await member.post("/research/consent", [("answer", "yes")])
            }
            let (researcher, _) = try await ForumSteps.loggedIn(app, role: .researcher)
            let page = try await researcher.get("/research/studies").text
            #expect(page.contains("&lt; 5") && !page.contains("Deelnemer"))
            let (member, _) = try await ForumSteps.loggedIn(app)
            #expect(try await member.get("/research/studies").status == .forbidden)
            #expect(try await member.post("/research/studies", [("name", "x")]).status == .forbidden)
            #expect(try await TestBrowser(app).get("/research/consent").location?.hasPrefix("/login") == true)
            let bad = try await researcher.post("/research/studies", [("name", "Nieuw onderzoek"), ("starts", "morgen")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Nieuw onderzoek") && bad.text.contains("morgen"))
        }
    }

    @Test("without a running study nobody is asked, and consent cannot be given")
    func noStudy() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            #expect(!(try await anna.get("/").text.contains("research-ask")))
            #expect(try await anna.get("/research/consent").text.contains("no-study"))
            #expect(try await anna.post("/research/consent", [("answer", "yes")]).status == .notFound)
        }
    }
}
