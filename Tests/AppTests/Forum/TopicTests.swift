import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Topics and replies", .serialized)
struct TopicTests {
    @Test("eight themes are seeded in Dutch and English")
    func themesSeeded() async throws {
        try await withConnectApp { app in
            let categories = try await Category.ordered(includingArchived: true, on: app.db)
            #expect(categories.count == 8)
            #expect(categories.first?.nameEN == "Introduce yourself")
            #expect(categories.first?.nameNL == "Stel je voor")
            #expect(categories.last?.nameEN == "Recovery, hope and strength")
        }
    }

    @Test("a member starts a topic, another replies and reacts; the first sees the reply, read-by and who reacted")
    func journey() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let topic = try await ForumSteps.startTopic(anna)
            let annaPage = try await anna.get("/t/\(topic)")
            #expect(annaPage.text.contains("Slapen lukt niet meer"))
            #expect(!annaPage.text.contains("Gelezen door"), "nobody read it yet: no \"read by 0 members\"")

            // Bram sees it as new on the home page.
            #expect(try await bram.get("/").text.contains("badge-unread"))
            let quoteForm = try await bram.get("/t/\(topic)/reply?quote=\(try await ForumSteps.post(app, topic: topic, number: 1).requireID())")
            #expect(quoteForm.text.contains("&gt; Ik lig elke nacht wakker."))
            try await ForumSteps.reply(bram, topic: topic, body: "**Anna** schreef:\n\n> Ik lig elke nacht wakker.\n\nJa, heel herkenbaar.")
            let first = try await ForumSteps.post(app, topic: topic, number: 1)
            _ = try await bram.post("/p/\(try first.requireID())/react", [("kind", "recognise")])

            let page = try await anna.get("/t/\(topic)").text
            #expect(page.contains("<blockquote>"))
            #expect(page.contains("Gelezen door 1 lid"))
            #expect(page.contains("Herkenbaar (1)") == false)  // Anna cannot react to her own post: she sees a count
            #expect(page.contains("Herkenbaar: 1"))
            #expect(page.contains("Bram"))
            let topicRow = try #require(try await Topic.find(topic, on: app.db))
            #expect(topicRow.replyCount == 1)
            #expect(topicRow.lastPostNumber == 2)
        }
    }

    @Test("a reply with an empty or too long body comes back with the text kept")
    func invalidReplyKeepsText() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(browser)
            let empty = try await browser.post("/t/\(topic)/reply", [("body", "   ")])
            #expect(empty.status == .unprocessableEntity)
            let long = String(repeating: "moe ", count: 5_001)
            let tooLong = try await browser.post("/t/\(topic)/reply", [("body", long)])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.text.contains(long.trimmingCharacters(in: .whitespaces)))
            #expect(try await Topic.find(topic, on: app.db)?.replyCount == 0)
        }
    }

    @Test("a topic needs a title of 3 to 120 characters and a theme; the typed text is kept")
    func invalidTopic() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            let response = try await browser.post(
                "/t/new", [("category", "living-with-depression"), ("title", "Hi"), ("body", "Mijn <verhaal> & meer")])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("value=\"Hi\""))
            #expect(response.text.contains("Mijn &lt;verhaal&gt; &amp; meer"))
            let noCategory = try await browser.post("/t/new", [("category", "nope"), ("title", "Een titel"), ("body", "Tekst")])
            #expect(noCategory.status == .unprocessableEntity)
            #expect(try await Topic.query(on: app.db).count() == 0)
        }
    }

    @Test("preview shows the cooked text without posting")
    func preview() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            let response = try await browser.post(
                "/t/new",
                [
                    ("category", "coping-and-self-care"), ("title", "Wandelen helpt"),
                    ("body", "Elke dag **even** naar buiten"), ("preview", "1"),
                ])
            #expect(response.text.contains("<strong>even</strong>"))
            #expect(response.text.contains("value=\"Wandelen helpt\""))
            #expect(try await Topic.query(on: app.db).count() == 0)
        }
    }

    @Test("posts are stored with sanitised HTML cooked at write time")
    func markdownCookedOnce() async throws {
        try await withConnectApp { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(browser, body: "<script>alert(1)</script> [x](javascript:alert(1)) *zacht*")
            let post = try await ForumSteps.post(app, topic: topic, number: 1)
            #expect(post.bodyHTML.contains("<em>zacht</em>"))
            #expect(!post.bodyHTML.contains("<script"))
            #expect(!post.bodyHTML.contains("javascript:"))
            #expect(post.screening == .unscreened)
            #expect(!(try await browser.get("/t/\(topic)").text.contains("<script>alert")))
        }
    }

    @Test("a long topic pages by 20 with a link to the first unread post")
    func paginationAndFirstUnread() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            _ = try await bram.get("/t/\(topic)")
            for i in 2...25 { try await ForumSteps.reply(anna, topic: topic, body: "Bericht \(i)") }
            let page1 = try await bram.get("/t/\(topic)")
            #expect(page1.text.contains("id=\"first-unread\" href=\"/t/\(topic)?page=1#post-2\""))
            #expect(page1.text.contains("id=\"post-20\""))
            #expect(!page1.text.contains("id=\"post-21\""))
            let page2 = try await bram.get("/t/\(topic)?page=2")
            #expect(page2.text.contains("id=\"post-25\""))
            #expect(try await ReadState.query(on: app.db).filter(\.$topicID == topic).max(\.$lastReadPostNumber) == 25)
        }
    }

    @Test("topic lists use keyset pagination, latest activity first")
    func keysetPagination() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (browser, _) = try await ForumSteps.loggedIn(app)
            var ids = [Int]()
            for i in 0..<(TopicList.pageSize + 3) {
                clock.advance(by: 60)
                ids.append(try await ForumSteps.startTopic(browser, category: "self-insight", title: "Onderwerp nummer \(i)", body: "Tekst \(i)"))
            }
            let page1 = try await browser.get("/c/self-insight")
            #expect(page1.text.contains("Onderwerp nummer \(TopicList.pageSize + 2)"))
            #expect(!page1.text.contains("Onderwerp nummer 2<"))
            let next = try #require(page1.text.firstMatch(of: /href="(\/c\/self-insight\?after=[0-9_]+)" rel="next"/)).1
            let page2 = try await browser.get(String(next))
            #expect(page2.text.contains("Onderwerp nummer 0<"))
            #expect(page2.text.contains("Onderwerp nummer 2<"))
            #expect(!page2.text.contains("Onderwerp nummer 3<"))
        }
    }

    @Test("participation events are recorded for reading, posting, replying and reacting")
    func participation() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let (bram, bramMember) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            _ = try await bram.get("/t/\(topic)")
            try await ForumSteps.reply(bram, topic: topic, body: "Sterkte")
            _ = try await bram.post("/p/\(try await ForumSteps.post(app, topic: topic, number: 1).requireID())/react", [("kind", "thanks")])
            let kinds = { (id: UUID?) in try await ParticipationEvent.query(on: app.db).filter(\.$memberID == id!).all().map(\.kind) }
            #expect(try await kinds(annaMember.id) == [.postTopic])
            let bramKinds = try await kinds(bramMember.id)
            #expect(Set(bramKinds) == [.readTopic, .reply, .react])
            let reply = try #require(try await ParticipationEvent.query(on: app.db).filter(\.$kind == .reply).first())
            #expect(reply.otherMemberID == annaMember.id)
        }
    }

    @Test("the home page tells what is new since the previous visit")
    func newSinceLastVisit() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.get("/")
            clock.advance(by: 2 * 3600)
            let topic = try await ForumSteps.startTopic(bram, title: "Iets nieuws")
            clock.advance(by: 60)
            let home = try await anna.get("/").text
            #expect(home.contains("<h3 id=\"since-last-visit\">Nieuw sinds je vorige bezoek</h3>"))
            let fresh = try #require(home.components(separatedBy: "id=\"new-since-list\"").dropFirst().first)
            #expect(fresh.components(separatedBy: "</ul>")[0].contains("Iets nieuws"))
            // Once read, it is no longer new; the calm sentence says so.
            _ = try await anna.get("/t/\(topic)")
            let later = try await anna.get("/").text
            #expect(!later.contains("id=\"new-since-list\"") && later.contains("Niets nieuws sinds je vorige bezoek"))
            // A first visit has no "since your last visit" at all.
            let (cees, _) = try await ForumSteps.loggedIn(app)
            #expect(!(try await cees.get("/").text.contains("since-last-visit")))
        }
    }

    @Test("unread counts per theme cover the last 30 days of activity")
    func unreadCountsWindow() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let (bram, bramMember) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(anna, category: "relationships", title: "Oud onderwerp")
            clock.advance(by: 31 * 86_400)
            // A month later both have to log in again.
            try await Fixtures.logIn(anna, annaMember)
            try await Fixtures.logIn(bram, bramMember)
            let recent = try await ForumSteps.startTopic(anna, category: "relationships", title: "Nieuw onderwerp")
            let list = TopicList(database: app.db)
            let category = try #require(try await Category.query(on: app.db).filter(\.$slug == "relationships").first()?.id)
            #expect(try await list.unreadCounts(viewer: bramMember.requireID(), now: clock.now())[category] == 1)
            _ = try await bram.get("/t/\(recent)")
            #expect(try await list.unreadCounts(viewer: bramMember.requireID(), now: clock.now())[category] == nil)
        }
    }
}
