import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// A topic held by a rule stays the author's own until a moderator releases it.
@Suite("Held topics", .serialized)
struct HeldTopicTests {
    @Test("the author of a held topic can reply in it; the reply is kept, and others still see nothing")
    func authorRepliesInHeldTopic() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let held = try await anna.post(
                "/t/new",
                [
                    ("category", "living-with-depression"), ("title", "Een zware week"),
                    ("body", "Ik heb pillen gespaard."),
                ])
            #expect(held.location?.hasPrefix("/support") == true)
            let topic = try #require(try await Topic.query(on: app.db).first())
            let topicID = try topic.requireID()
            #expect(!topic.visible)
            #expect(try await anna.get("/t/\(topicID)").text.contains("reply-form"))

            let reply = try await anna.post("/t/\(topicID)/reply", [("body", "Ik wil er toch nog iets over zeggen.")])
            #expect(reply.status == .seeOther)
            // Honest: nobody else sees the reply until the topic is released.
            #expect(try await anna.get(try #require(reply.location)).text.contains("Je reactie is bewaard"))
            #expect(try await Post.query(on: app.db).filter(\.$topicID == topicID).count() == 2)
            #expect(try await anna.get("/t/\(topicID)").text.contains("Ik wil er toch nog iets over zeggen."))
            #expect(try await bram.get("/t/\(topicID)").status == .notFound)
            #expect(try await bram.post("/t/\(topicID)/reply", [("body", "Hallo")]).status == .notFound)
            #expect(!(try await bram.get("/search?q=toch").text.contains("nog iets over zeggen")))
            // The author finds the waiting topic on their profile; others do not.
            let profile = Paths.profile(try #require(try await Member.find(topic.authorID, on: app.db)))
            let own = try await anna.get(profile).text
            #expect(own.contains("Een zware week") && own.contains("wacht op een moderator"))
            #expect(!(try await bram.get(profile).text.contains("Een zware week")))
        }
    }
}
