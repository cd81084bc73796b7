import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Members report posts", .serialized)
struct FlagTests {
    @Test("a report lands in the queue; three reporters hide the post; 'no action' shows it again and the reporter sees the outcome")
    func reports() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Een gewone reactie")
            let post = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            var reporters: [TestBrowser] = []
            for _ in 0..<3 { reporters.append(try await ForumSteps.loggedIn(app).0) }

            let invalid = try await reporters[0].post("/p/\(post)/report", [("reason", "other"), ("note", "")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(try await anna.post("/p/\(post)/report", [("reason", "privacy")]).status == .forbidden)

            #expect(try await reporters[0].post("/p/\(post)/report", [("reason", "worried")]).status == .seeOther)
            #expect(try await reporters[0].post("/p/\(post)/report", [("reason", "worried")]).status == .seeOther)
            #expect(try await Flag.query(on: app.db).count() == 1)
            #expect(try await ForumSteps.post(app, topic: topic, number: 2).screening == .unscreened)
            for reporter in reporters.dropFirst() {
                _ = try await reporter.post("/p/\(post)/report", [("reason", "disrespectful")])
            }
            #expect(try await ForumSteps.post(app, topic: topic, number: 2).screening == .hidden)
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind == .flag).count() == 1)

            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let queue = try await moderator.get("/mod/queue").text
            #expect(queue.contains("Een gewone reactie"))
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .flag).first())
            let itemID = try item.requireID().uuidString
            #expect(try await moderator.post("/mod/queue/\(itemID)/claim", []).status == .seeOther)
            #expect(try await ReviewItem.find(item.id, on: app.db)?.claimedBy != nil)
            let noReason = try await moderator.post("/mod/queue/\(itemID)/resolve", [("outcome", "no_action"), ("reason", "")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(try await ReviewItem.find(item.id, on: app.db)?.resolvedAt == nil)
            #expect(
                try await moderator.post("/mod/queue/\(itemID)/resolve", [("outcome", "no_action"), ("reason", "Niets aan de hand")]).status
                    == .seeOther)
            #expect(try await ForumSteps.post(app, topic: topic, number: 2).screening == .screened)
            let notices = try await reporters[0].get("/notices").text
            #expect(notices.contains("geen actie nodig"))
        }
    }
}
