import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Steps of the blogs, taken through the real routes.
enum BlogSteps {
    /// Writes an entry through POST /blogs/new and returns its topic id.
    static func write(
        _ browser: TestBrowser, title: String = "Een goede week", body: String = "Deze week heb ik elke dag gewandeld.",
        onlyMe: Bool = false, comments: Bool = true
    ) async throws -> Int {
        var fields = [("title", title), ("body", body), ("visibility", onlyMe ? "only_me" : "members")]
        if comments { fields.append(("comments", "on")) }
        let response = try await browser.post("/blogs/new", fields)
        guard response.status == .seeOther, let location = response.location else {
            throw FixtureError("writing a blog entry failed: \(response.status) \(response.text.prefix(300))")
        }
        guard location.hasPrefix("/blogs/"), let id = Int(location.dropFirst(7).prefix { $0.isNumber }) else {
            // After a crisis rule the author goes to the support page, which names the topic.
            guard let range = location.range(of: "topic="), let id = Int(location[range.upperBound...].prefix { $0.isNumber }) else {
                throw FixtureError("unexpected place after writing: \(location)")
            }
            return id
        }
        return id
    }
}

@Suite("Member blogs", .serialized)
struct BlogTests {
    @Test("an entry for all members is listed, read, commented on and appreciated; its author sees who read it")
    func publicEntry() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let entry = try await BlogSteps.write(anna, title: "Wandelen helpt", body: "Elke ochtend een rondje om het park.")
            let list = try await bram.get("/blogs").text
            #expect(list.contains("Wandelen helpt") && list.contains("Elke ochtend een rondje"))
            #expect(try await bram.get("/u/Anna/blog").text.contains("Wandelen helpt"))
            let page = try await bram.get("/blogs/\(entry)")
            #expect(page.status == .ok && page.text.contains("Elke ochtend een rondje om het park."))
            #expect(page.text.contains("reply-form"))
            // A comment is a reply in the entry's topic: it leads back to the entry's page.
            let comment = try await ForumSteps.reply(bram, topic: entry, body: "Wat fijn dat dat je helpt.")
            #expect(comment.hasPrefix("/blogs/\(entry)"))
            let post = try await ForumSteps.post(app, topic: entry, number: 1)
            #expect(try await bram.post("/p/\(try post.requireID())/react", [("kind", "thanks")]).status == .seeOther)
            let own = try await anna.get("/blogs/\(entry)").text
            #expect(own.contains("Wat fijn dat dat je helpt."))
            #expect(own.contains("Gelezen door 1 lid"))
            // The author hears of the comment, in the app.
            let notes = try await Notification.query(on: app.db).filter(\.$memberID == annaMember.requireID()).all()
            #expect(notes.contains { $0.kind == .reply && $0.topicID == entry })
            // The forum's lists never show blog entries.
            #expect(!(try await bram.get("/").text.contains("Wandelen helpt")))
            // A bare topic link leads to the entry's page.
            #expect(try await bram.get("/t/\(entry)").location == "/blogs/\(entry)")
        }
    }

    @Test("a private journal entry is read by its author alone: not other members, not moderators, not search, not screening")
    func journalEntry() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let entry = try await BlogSteps.write(anna, title: "Alleen voor mij", body: "Vandaag was zwaar, paarsgeheim.", onlyMe: true)
            let own = try await anna.get("/blogs/\(entry)")
            #expect(own.status == .ok && own.text.contains("paarsgeheim") && own.text.contains("only-me-note"))
            #expect(try await anna.get("/u/Anna/blog").text.contains("Alleen voor mij"))
            for viewer in [bram, moderator] {
                #expect(try await viewer.get("/blogs/\(entry)").status == .notFound)
                #expect(try await viewer.get("/t/\(entry)").status == .notFound)
                #expect(try await viewer.get("/blogs/\(entry)/edit").status == .notFound)
                #expect(!(try await viewer.get("/blogs").text.contains("Alleen voor mij")))
                #expect(!(try await viewer.get("/u/Anna/blog").text.contains("Alleen voor mij")))
                #expect(!(try await viewer.get("/search?q=paarsgeheim").text.contains("Alleen voor mij")))
            }
            let post = try await ForumSteps.post(app, topic: entry, number: 1)
            #expect(post.screening == .journal)
            #expect(try await moderator.get("/mod/posts/\(try post.requireID())").status == .notFound)
            #expect(!(try await moderator.get("/mod/screening").text.contains("paarsgeheim")))
            // No comments on a journal entry, not even by its author.
            #expect(try await anna.post("/t/\(entry)/reply", [("body", "Nog iets")]).status == .forbidden)
            // Shared with all members later: now it is an entry like any other.
            let shared = try await anna.post(
                "/blogs/\(entry)/edit",
                [("title", "Nu voor iedereen"), ("body", "Vandaag was zwaar, paarsgeheim."), ("visibility", "members"), ("comments", "on")])
            #expect(shared.status == .seeOther)
            #expect(try await bram.get("/blogs/\(entry)").text.contains("paarsgeheim"))
            #expect(try await ForumSteps.post(app, topic: entry, number: 1).screening == .unscreened)
            #expect(try await bram.get("/search?q=paarsgeheim").text.contains("Nu voor iedereen"))
            // And back into the journal: gone from others at once.
            _ = try await anna.post(
                "/blogs/\(entry)/edit", [("title", "Toch alleen voor mij"), ("body", "Vandaag was zwaar, paarsgeheim."), ("visibility", "only_me")])
            #expect(try await bram.get("/blogs/\(entry)").status == .notFound)
            #expect(!(try await bram.get("/search?q=paarsgeheim").text.contains("voor mij")))
        }
    }

    @Test("crisis words in a private journal show the author the crisis help, and alert nobody")
    func journalCrisis() async throws {
        try await withConnectApp(adjust: { $0.moderatorAlertEmail = "moderators@example.org" }) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let response = try await anna.post(
                "/blogs/new", [("title", "Vannacht"), ("body", "Ik wil er een eind aan maken."), ("visibility", "only_me")])
            #expect(response.status == .seeOther)
            #expect(response.location?.hasPrefix("/support") == true)
            let support = try await anna.get(try #require(response.location))
            #expect(support.text.contains("crisis-help") && support.text.contains("niemand kreeg een melding"))
            #expect(try await Alert.query(on: app.db).count() == 0)
            #expect(try await ReviewItem.query(on: app.db).count() == 0)
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == "moderators@example.org").count() == 0)
            // The same words for all members alert the moderators, as in the forum.
            _ = try await anna.post("/blogs/new", [("title", "Vannacht"), ("body", "Ik wil er een eind aan maken."), ("visibility", "members")])
            #expect(try await Alert.query(on: app.db).count() == 1)
        }
    }

    @Test("following a blog brings every new entry; muting it hides the blog from the list")
    func following() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            #expect(try await bram.post("/u/Anna/blog/follow", [("level", "watching")]).status == .seeOther)
            let entry = try await BlogSteps.write(anna, title: "Nieuw bericht")
            let notes = try await Notification.query(on: app.db).filter(\.$memberID == bramMember.requireID()).all()
            #expect(notes.contains { $0.kind == .watching && $0.topicID == entry })
            // A private entry tells nobody.
            let journal = try await BlogSteps.write(anna, title: "Geheim", onlyMe: true)
            #expect(try await Notification.query(on: app.db).filter(\.$topicID == journal).count() == 0)
            _ = try await bram.post("/u/Anna/blog/follow", [("level", "muted")])
            #expect(!(try await bram.get("/blogs").text.contains("Nieuw bericht")))
            #expect(try await anna.post("/u/Anna/blog/follow", [("level", "watching")]).status == .forbidden)
            #expect(try await bram.post("/u/Anna/blog/follow", [("level", "loud")]).status == .badRequest)
        }
    }

    @Test("who may do what: visitors log in first, others cannot change an entry, comments can be turned off")
    func permissions() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let entry = try await BlogSteps.write(anna, title: "Zonder reacties", comments: false)
            let visitor = TestBrowser(app)
            for path in ["/blogs", "/blogs/new", "/blogs/\(entry)", "/u/Anna/blog"] {
                #expect(try await visitor.get(path).location?.hasPrefix("/login") == true, "\(path)")
            }
            for browser in [bram, moderator] {
                #expect(try await browser.get("/blogs/\(entry)/edit").status == .forbidden)
                #expect(
                    try await browser.post("/blogs/\(entry)/edit", [("title", "Overgenomen"), ("body", "x"), ("visibility", "only_me")]).status
                        == .forbidden)
            }
            #expect(try await Topic.find(entry, on: app.db)?.title == "Zonder reacties")
            let page = try await bram.get("/blogs/\(entry)").text
            #expect(page.contains("comments-off") && !page.contains("reply-form"))
            #expect(try await bram.post("/t/\(entry)/reply", [("body", "Toch een reactie")]).status == .forbidden)
            // The forum's own edit form is not the way to change an entry.
            let post = try await ForumSteps.post(app, topic: entry, number: 1)
            #expect(try await anna.get("/p/\(try post.requireID())/edit").status == .notFound)
            // Guessing ids: nothing there, or not a blog entry.
            #expect(try await bram.get("/blogs/999999").status == .notFound)
            let topic = try await ForumSteps.startTopic(bram)
            #expect(try await bram.get("/blogs/\(topic)").status == .notFound)
            #expect(try await bram.get("/blogs/\(topic)/edit").status == .notFound)
            #expect(try await bram.get("/u/Niemand/blog").status == .notFound)
        }
    }

    @Test("a form with mistakes, or sent after the session expired, keeps what was typed")
    func keptText() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let bad = try await anna.post("/blogs/new", [("title", "x"), ("body", "Mijn lange verhaal van vandaag"), ("visibility", "only_me")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Mijn lange verhaal van vandaag") && bad.text.contains("form-errors"))
            #expect(bad.text.contains("id=\"visibility-only_me\" name=\"visibility\" value=\"only_me\" checked"))
            anna.forgetCookie(SessionAuthenticator.cookieName)
            let expired = try await anna.post("/blogs/new", [("title", "Mijn dag"), ("body", "Wat ik niet kwijt wil"), ("visibility", "members")])
            #expect(expired.location?.hasPrefix("/login") == true)
            try await Fixtures.logIn(anna, annaMember)
            let back = try await anna.get("/blogs/new").text
            #expect(back.contains("Wat ik niet kwijt wil"))
            // The choices come back too: for all members, comments off (the box was not ticked).
            #expect(back.contains("id=\"visibility-members\" name=\"visibility\" value=\"members\" checked"))
        }
    }

    @Test("the export holds the whole blog, private journal and comments included; erasure removes the blog and journal")
    func dataRights() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let entry = try await BlogSteps.write(anna, title: "Openbaar", body: "Voor iedereen geschreven.")
            let journal = try await BlogSteps.write(anna, title: "Dagboek", body: "Alleen voor mij geschreven.", onlyMe: true)
            try await ForumSteps.reply(anna, topic: entry, body: "Mijn eigen reactie.")
            try await ForumSteps.reply(bram, topic: entry, body: "Een reactie van Bram.")
            let contents = try #require(try await ExportContents.gather(memberID: annaMember.requireID(), on: app.db) { _ in })
            let places = Dictionary(grouping: contents.posts, by: \.place).mapValues { $0.map(\.markdown) }
            #expect(places["blog"]?.contains("Voor iedereen geschreven.") == true && places["blog"]?.contains("Mijn eigen reactie.") == true)
            #expect(places["journal"] == ["Alleen voor mij geschreven."])
            #expect(!contents.posts.contains { $0.markdown == "Een reactie van Bram." })
            let bramContents = try #require(try await ExportContents.gather(memberID: bramMember.requireID(), on: app.db) { _ in })
            #expect(bramContents.posts.map(\.markdown) == ["Een reactie van Bram."])

            #expect(try await anna.post("/settings/leave", [("choice", "keep_posts"), ("password", goodPassword)]).status == .ok)
            clock.advance(by: 8 * 86_400)
            #expect(try await AccountErasure(database: app.db, clock: clock).run() == 1)
            #expect(try await Topic.find(entry, on: app.db) == nil)
            #expect(try await Topic.find(journal, on: app.db) == nil)
            #expect(!(try await bram.get("/search?q=geschreven").text.contains("Openbaar")))
        }
    }

    @Test("the blogs list runs as many queries for 1 entry as for 20")
    func listQueries() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            _ = try await BlogSteps.write(anna, title: "Eerste")
            counter.reset()
            _ = try await anna.get("/blogs")
            let one = counter.count
            for i in 0..<24 { _ = try await BlogSteps.write(anna, title: "Bericht \(i)", onlyMe: i.isMultiple(of: 6)) }
            counter.reset()
            let page = try await anna.get("/blogs")
            #expect(page.text.contains("rel=\"next\""))
            #expect(counter.count == one, "\(counter.statements)")
            counter.reset()
            _ = try await anna.get("/u/Anna/blog")
            let blog = counter.count
            #expect(blog <= one + 2)
        }
    }
}
