import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Who may do what in the forum", .serialized)
struct ForumPermissionTests {
    @Test("a member cannot edit or remove someone else's post")
    func othersPosts() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let post = try await ForumSteps.post(app, topic: topic, number: 1)
            let id = try post.requireID()
            #expect(try await bram.get("/p/\(id)/edit").status == .forbidden)
            #expect(try await bram.post("/p/\(id)/edit", [("title", "Overgenomen"), ("body", "Niet van mij")]).status == .forbidden)
            #expect(try await bram.post("/p/\(id)/remove", []).status == .forbidden)
            let after = try await ForumSteps.post(app, topic: topic, number: 1)
            #expect(after.bodyMarkdown == post.bodyMarkdown)
            #expect(after.screening == .unscreened)
        }
    }

    @Test("an author edits their post; members see 'edited', moderators the earlier version")
    func editKeepsHistory() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, body: "Eerste versie")
            let id = try await ForumSteps.post(app, topic: topic, number: 1).requireID()
            #expect(try await anna.get("/p/\(id)/edit").text.contains("Eerste versie"))
            _ = try await anna.post("/p/\(id)/edit", [("title", "Slapen lukt weer een beetje"), ("body", "Tweede versie")])
            let page = try await anna.get("/t/\(topic)").text
            #expect(page.contains("Tweede versie"))
            #expect(page.contains("bewerkt"))
            #expect(try await Topic.find(topic, on: app.db)?.title == "Slapen lukt weer een beetje")
            #expect(try await anna.get("/p/\(id)/history").status == .forbidden)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let history = try await moderator.get("/p/\(id)/history")
            #expect(history.status == .ok)
            #expect(history.text.contains("Eerste versie"))
        }
    }

    @Test("a removed post shows 'removed by the author' to members and its text to moderators")
    func removedPost() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Dit had ik niet moeten schrijven")
            let id = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            #expect(try await anna.post("/p/\(id)/remove", []).status == .seeOther)
            let memberView = try await bram.get("/t/\(topic)").text
            #expect(!memberView.contains("Dit had ik niet moeten schrijven"))
            #expect(memberView.contains("verwijderd door de schrijver"))
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.get("/t/\(topic)").text.contains("Dit had ik niet moeten schrijven"))
            // Removed posts never show in search.
            #expect(!(try await bram.get("/search?q=schrijven").text.contains("id=\"search-results\"")))
        }
    }

    @Test("a hidden post shows 'hidden by a moderator' to members and its text to moderators")
    func hiddenPost() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, body: "Mijn dokter heet Jansen")
            let post = try await ForumSteps.post(app, topic: topic, number: 1)
            post.screening = .hidden
            try await post.save(on: app.db)
            let memberView = try await anna.get("/t/\(topic)").text
            #expect(!memberView.contains("Jansen"))
            #expect(memberView.contains("verborgen door een moderator"))
            #expect(try await anna.get("/p/\(try post.requireID())/edit").status == .forbidden)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.get("/t/\(topic)").text.contains("Jansen"))
            #expect(!(try await anna.get("/search?q=Jansen").text.contains("id=\"search-results\"")))
        }
    }

    @Test("members cannot pin, close or move topics; moderators can, and it is audited")
    func topicTools() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            #expect(try await anna.post("/t/\(topic)/pin", []).status == .forbidden)
            #expect(try await anna.post("/t/\(topic)/close", []).status == .forbidden)
            #expect(try await anna.post("/t/\(topic)/move", [("category", "relationships")]).status == .forbidden)
            #expect(!(try await anna.get("/t/\(topic)").text.contains("mod-tools-heading")))

            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.post("/t/\(topic)/pin", []).status == .seeOther)
            #expect(try await moderator.post("/t/\(topic)/close", [("reason", "Loopt uit de hand")]).status == .seeOther)
            #expect(
                try await moderator.post("/t/\(topic)/move", [("category", "relationships"), ("reason", "Past beter bij relaties")]).status
                    == .seeOther)
            let row = try #require(try await Topic.find(topic, on: app.db))
            #expect(row.pinned && row.closed)
            #expect(row.categoryID == (try await Category.query(on: app.db).filter(\.$slug == "relationships").first()?.id))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["topic.pin", "topic.close", "topic.move"]).count() == 3)

            // A closed topic takes no replies from members.
            #expect(try await anna.post("/t/\(topic)/reply", [("body", "Nog één ding")]).status == .forbidden)
        }
    }

    @Test("nobody reacts to their own post; reactions toggle")
    func reactions() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let id = try await ForumSteps.post(app, topic: topic, number: 1).requireID()
            #expect(try await anna.post("/p/\(id)/react", [("kind", "thanks")]).status == .forbidden)
            #expect(try await bram.post("/p/\(id)/react", [("kind", "hug")]).status == .badRequest)
            _ = try await bram.post("/p/\(id)/react", [("kind", "thanks")])
            #expect(try await Reaction.query(on: app.db).count() == 1)
            _ = try await bram.post("/p/\(id)/react", [("kind", "thanks")])
            #expect(try await Reaction.query(on: app.db).count() == 0)
        }
    }

    @Test("visitors cannot read the forum", arguments: ["/t/1", "/c/living-with-depression", "/search?q=slaap", "/t/new"])
    func visitors(path: String) async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).get(path)
            #expect(response.status == .seeOther)
        }
    }

    @Test("unknown topics and posts answer 404")
    func unknown() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            #expect(try await browser.get("/t/99999").status == .notFound)
            #expect(try await browser.get("/p/99999/edit").status == .notFound)
            #expect(try await browser.get("/c/no-such-theme").status == .notFound)
        }
    }
}

@Suite("Nothing typed is lost", .serialized)
struct FormRescueTests {
    @Test("a reply sent after the session expired is waiting after logging in again")
    func expiredSessionKeepsReply() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            let topic = try await ForumSteps.startTopic(browser)
            clock.advance(by: app.connect.config.sessionLifetime + 60)
            let long = "Een lang antwoord dat ik niet kwijt wil.\n\nMet meerdere alinea's & tekens <zoals> deze."
            let response = try await browser.post("/t/\(topic)/reply", [("body", long)])
            #expect(response.status == .seeOther)
            #expect(response.location == "/login?next=/t/\(topic)/reply")
            try await Fixtures.logIn(browser, member)
            let form = try await browser.get("/t/\(topic)/reply")
            #expect(form.text.contains("Een lang antwoord dat ik niet kwijt wil."))
            #expect(form.text.contains("tekens &lt;zoals&gt; deze."))
            // Shown once, then gone.
            #expect(!(try await browser.get("/t/\(topic)/reply").text.contains("Een lang antwoord")))
        }
    }

    @Test("a new topic sent after the session expired keeps its title and text")
    func expiredSessionKeepsTopic() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let member = try await Fixtures.member(app)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            clock.advance(by: app.connect.config.sessionLifetime + 60)
            _ = try await browser.post(
                "/t/new", [("category", "relationships"), ("title", "Mijn moeder begrijpt het niet"), ("body", "Lang verhaal")])
            try await Fixtures.logIn(browser, member)
            let form = try await browser.get("/t/new").text
            #expect(form.contains("value=\"Mijn moeder begrijpt het niet\""))
            #expect(form.contains("Lang verhaal"))
            #expect(form.contains("value=\"relationships\" selected"))
        }
    }
}

@Suite("Demo data", .serialized)
struct DemoDataTests {
    @Test("seed-demo writes members, topics, posts and the search index that the pages can read")
    func seedDemo() async throws {
        try await withConnectApp { app in
            let hash = try app.password.hash(SeedDemoCommand.demoPassword)
            let counts = try await DemoSeeder(
                plan: DemoPlan(members: 20, topics: 30, posts: 300, seed: 7), passwordHash: hash,
                now: app.connect.clock.now()
            ).run(on: app.db)
            #expect(counts.topics == 30 && counts.posts == 300)
            #expect(try await Post.query(on: app.db).count() == 300)
            #expect(try await Topic.query(on: app.db).all().reduce(0) { $0 + $1.lastPostNumber } == 300)
            // Every post number 1…n exists once per topic, and no activity lies in the future.
            #expect(try await Topic.query(on: app.db).filter(\.$lastActivityAt > app.connect.clock.now()).count() == 0)
            let member = try #require(try await Member.query(on: app.db).filter(\.$email == "demo-1@example.org").first())
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member, password: SeedDemoCommand.demoPassword)
            #expect(try await browser.get("/").status == .ok)
            #expect(try await browser.get("/search?q=wakker").text.contains("id=\"search-results\""))
            // New writes after seeding get fresh ids (PostgreSQL sequences were moved on).
            _ = try await ForumSteps.startTopic(browser)
        }
    }
}
