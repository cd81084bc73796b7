import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("A moderator welcomes every member's first post", .serialized)
struct WelcomeTests {
    @Test("a first post creates one welcome item; the reply is prefilled in the member's language and resolves it")
    func welcome() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            annaMember.locale = .en
            try await annaMember.save(on: app.db)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Nog iets")
            let items = try await ReviewItem.query(on: app.db).filter(\.$kind == .welcome).all()
            #expect(items.count == 1)
            let id = try #require(items.first?.id).uuidString
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.get("/mod/queue").text.contains("welcome-\(id)"))
            let form = try await moderator.get("/mod/queue/\(id)/welcome")
            #expect(form.text.contains("Welcome, \(annaMember.pseudonym)!"))
            #expect(try await moderator.post("/mod/queue/\(id)/welcome", [("body", " ")]).status == .unprocessableEntity)
            // Preview shows the text and posts nothing.
            let preview = try await moderator.post("/mod/queue/\(id)/welcome", [("body", "Welkom **Anna**"), ("preview", "1")])
            #expect(preview.status == .ok && preview.text.contains("<strong>Anna</strong>"))
            #expect(try await Post.query(on: app.db).filter(\.$topicID == topic).count() == 2)
            #expect(try await moderator.post("/mod/queue/\(id)/welcome", [("body", "Welkom Anna, fijn dat je er bent.")]).status == .seeOther)
            #expect(try await anna.get("/t/\(topic)").text.contains("fijn dat je er bent"))
            let resolved = try #require(try await ReviewItem.find(items.first?.id, on: app.db))
            #expect(resolved.outcome == .welcomed && resolved.resolvedAt != nil)
            #expect(try await moderator.get("/mod").text.contains("figure-welcome"))
            // A moderator's own posts need no welcome.
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind == .welcome).count() == 1)
        }
    }

    @Test("a held first post gets its welcome once released")
    func heldFirstPost() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Zwaar"), ("body", "Ik heb pillen gespaard.")])
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind == .welcome).count() == 0)
            let post = try #require(try await Post.query(on: app.db).first())
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            _ = try await moderator.post("/mod/posts/\(try post.requireID())/restore", [("reason", "Gesproken")])
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind == .welcome).count() == 1)
        }
    }
}
