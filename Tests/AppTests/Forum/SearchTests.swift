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

    /// One table of queries, run the same on SQLite and PostgreSQL: (query, titles it must find,
    /// titles it must not).
    static let table: [(String, [String], [String])] = [
        ("slaap", ["Nachten", "Eindelijk rust", "Sleepless"], ["Op het werk"]),
        ("slapen", ["Nachten", "Eindelijk rust"], ["Op het werk"]),
        ("sliep", ["Nachten", "Eindelijk rust"], []),
        ("sleeping", ["Sleepless"], ["Nachten"]),
        ("werkgever", ["Op het werk"], ["Nachten"]),
        ("werk", ["Op het werk"], []),
        ("geëmigreerd", ["Verhuisd"], []),
        ("slaap werk", [], ["Nachten", "Op het werk"]),
    ]

    @Test("one table of queries finds the same on both databases: 'slaap', 'sliep' and 'slapen' find each other")
    func queryTable() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(browser, title: "Nachten", body: "Ik kan niet slapen de laatste tijd.")
            _ = try await ForumSteps.startTopic(browser, title: "Eindelijk rust", body: "Vannacht sliep ik eindelijk acht uur.")
            _ = try await ForumSteps.startTopic(browser, title: "Sleepless", body: "I slept badly; sleep is hard. Slaap is moeilijk.")
            _ = try await ForumSteps.startTopic(browser, title: "Op het werk", body: "Mijn werkgever begrijpt het niet.")
            _ = try await ForumSteps.startTopic(browser, title: "Verhuisd", body: "Wij zijn vorig jaar geëmigreerd naar Canada.")
            for (query, found, missed) in Self.table {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let page = try await browser.get("/search?q=\(encoded)").text
                let results = page.components(separatedBy: "id=\"search-results\"").dropFirst().first ?? ""
                for title in found { #expect(results.contains(">\(title)</a>"), "\(query) should find \(title)") }
                for title in missed { #expect(!results.contains(">\(title)</a>"), "\(query) should not find \(title)") }
            }
        }
    }

    @Test("snippets show the text, never Markdown, with the matches marked")
    func plainSnippets() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(
                browser, title: "Opmaak", body: "Ik wil **echt** weer _slapen_, lees [dit](https://example.org) maar.\n\n> een citaat over slaap")
            let page = try await browser.get("/search?q=slaap").text
            let snippet = try #require(page.components(separatedBy: "<p class=\"snippet\">").dropFirst().first?.components(separatedBy: "</p>").first)
            #expect(snippet.contains("<mark>slapen</mark>") && snippet.contains("<mark>slaap</mark>"))
            #expect(!snippet.contains("**") && !snippet.contains("](") && !snippet.contains("&gt;") && !snippet.contains("_slapen_"))
            #expect(snippet.contains("echt") && snippet.contains("dit"))
        }
    }

    @Test("beyond the first page results come by keyset, none twice, with the real count or 'more than'")
    func paging() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(browser, title: "Wandelen", body: "Wandelen in het bos.")
            for i in 1...44 { try await ForumSteps.reply(browser, topic: topic, body: "Reactie \(i) over wandelen en frisse lucht.") }
            var seen = Set<String>()
            var path = "/search?q=wandelen"
            var pages = 0
            while true {
                let page = try await browser.get(path).text
                pages += 1
                if pages == 1 { #expect(page.contains("45 resultaten")) }
                let links =
                    page.components(separatedBy: "<ol class=\"search-results\"").dropFirst().first?.components(separatedBy: "</ol>").first ?? ""
                for piece in links.components(separatedBy: "<li><a href=\"").dropFirst() {
                    let href = String(piece.prefix(while: { $0 != "\"" }))
                    #expect(seen.insert(href).inserted, "\(href) shown twice")
                }
                guard
                    let next = page.components(separatedBy: "id=\"search-next\" class=\"button button-secondary\" rel=\"next\" href=\"").dropFirst()
                        .first
                else { break }
                path = String(next.prefix(while: { $0 != "\"" })).replacingOccurrences(of: "&amp;", with: "&")
                #expect(pages < 5)
            }
            #expect(pages == 3 && seen.count == 45)
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

    @Test("the migration rebuilds the index from the posts already written, and reverts to the earlier shape")
    func migrationRebuilds() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(browser, title: "Nachten", body: "Ik kan niet slapen de laatste tijd.")
            // One connection throughout: another SQLite connection may still hold the old schema.
            try await app.db.withConnection { db in
                try await M035_StemmedSearch().revert(on: db)
                try await M035_StemmedSearch().prepare(on: db)
                let results = try await SearchIndex(database: db).search("sliep", categoryID: nil)
                #expect(results.hits.map(\.topicTitle) == ["Nachten"] && results.count == 1)
            }
        }
    }
}
