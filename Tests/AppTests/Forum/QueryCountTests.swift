import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Pages run a fixed number of queries", .serialized)
struct QueryCountTests {
    @Test("the topic page runs as many queries for 2 posts as for 20")
    func topicPage() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let small = try await ForumSteps.startTopic(anna, title: "Klein onderwerp")
            try await ForumSteps.reply(bram, topic: small, body: "Een reactie")
            let large = try await ForumSteps.startTopic(anna, title: "Groot onderwerp")
            for i in 0..<19 {
                try await ForumSteps.reply(i.isMultiple(of: 2) ? bram : anna, topic: large, body: "Reactie \(i)")
            }
            for number in [1, 2] {
                _ = try await bram.post("/p/\(try await ForumSteps.post(app, topic: large, number: number).requireID())/react", [("kind", "thanks")])
            }
            _ = try await anna.get("/t/\(small)")
            _ = try await anna.get("/t/\(large)")
            counter.reset()
            _ = try await anna.get("/t/\(small)")
            let smallCount = counter.count
            counter.reset()
            _ = try await anna.get("/t/\(large)")
            #expect(smallCount > 0)
            #expect(counter.count == smallCount, "small: \(smallCount), large: \(counter.statements)")
            #expect(counter.count <= 10)
        }
    }

    @Test("the home page's topic list runs as many queries for 1 topic as for 30")
    func topicList() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(anna, title: "Eerste onderwerp")
            counter.reset()
            _ = try await anna.get("/")
            let one = counter.count
            for i in 0..<30 {
                _ = try await ForumSteps.startTopic(anna, category: i.isMultiple(of: 2) ? "self-insight" : "relationships", title: "Onderwerp \(i)")
            }
            counter.reset()
            _ = try await anna.get("/")
            #expect(one > 0)
            #expect(counter.count == one)
            counter.reset()
            _ = try await anna.get("/c/self-insight")
            let category = counter.count
            #expect(category > 0 && category <= 5)
        }
    }

    @Test("reading pages again writes nothing: no read position, visit, or session touch on a plain read")
    func plainReadsWriteNothing() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter), at: .beginning)
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, bramMember) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(bram, title: "Slapen lukt niet")
            _ = try await ForumSteps.reply(bram, topic: topic, body: "Ik slaap slecht sinds de winter begon.")
            let category = try await ForumSteps.firstCategory(app)
            let pages = [
                "/", "/t/\(topic)", "/c/\(category.slug)", "/search?q=slapen", "/notifications", Paths.profile(bramMember),
                "/news", "/blogs", "/messages", "/settings",
            ]
            // The first reading moves the read position and notes the visit.
            for page in pages { _ = try await anna.get(page) }
            counter.reset()
            for page in pages { #expect(try await anna.get(page).status == .ok, "\(page)") }
            let writes = counter.statements.filter { statement in
                let sql = statement.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
                return ["INSERT", "UPDATE", "DELETE", "REPLACE"].contains { sql.hasPrefix($0) }
            }
            #expect(!counter.statements.isEmpty)
            #expect(writes.isEmpty, "\(writes)")
        }
    }
}
