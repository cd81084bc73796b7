import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Searching the forum", .serialized)
struct SearchTests {
    @Test("search finds posts by stem and prefix, ranked, with highlighted snippets")
    func findsStems() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(
                browser, category: "coping-and-self-care", title: "Walking every day", body: "I walked along the river and it helped a little.")
            _ = try await ForumSteps.startTopic(
                browser, category: "work-study-daily-life", title: "Back to work", body: "My first week back at the office.")
            let results = try await browser.get("/search?q=walking").text
            #expect(results.contains("Walking every day"))
            #expect(results.contains("<mark>"))
            #expect(!results.contains("Back to work"))
            let prefix = try await browser.get("/search?q=offi").text
            #expect(prefix.contains("Back to work"))
        }
    }

    @Test("on PostgreSQL, Dutch stemming finds 'slapen' for 'slaap'", .enabled(if: testPostgresURL != nil))
    func dutchStemming() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(browser, title: "Nachten", body: "Ik kan niet slapen de laatste tijd.")
            #expect(try await browser.get("/search?q=slaap").text.contains("Nachten"))
        }
    }

    @Test("search can be limited to one theme")
    func categoryFilter() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(
                browser, category: "relationships", title: "Partner en medicatie", body: "Over medicatie en mijn partner.")
            _ = try await ForumSteps.startTopic(
                browser, category: "treatment-and-medication", title: "Nieuwe medicatie", body: "Ik begin met nieuwe medicatie.")
            let filtered = try await browser.get("/search?q=medicatie&category=relationships").text
            #expect(filtered.contains("Partner en medicatie"))
            #expect(!filtered.contains("Nieuwe medicatie"))
        }
    }

    @Test(
        "query syntax from the user never reaches the database as an error",
        arguments: [
            "\"", "AND OR NOT", "a* OR (", "NEAR(x y", "'; DROP TABLE posts; --", "^*:-", "title:x", "💙", String(repeating: "x ", count: 300),
        ])
    func hostileQueries(query: String) async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(browser)
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let response = try await browser.get("/search?q=\(encoded)")
            #expect(response.status == .ok)
        }
    }
}
