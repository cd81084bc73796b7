import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Steps of the news, taken through the real routes.
enum NewsSteps {
    static func fields(
        title: String = "Nieuw: de wandelgroep", summary: String = "Elke zaterdag wandelen we samen.",
        body: String = "Je bent welkom bij de wandelgroep, elke zaterdag om tien uur.", kind: String = "news",
        publish: String = "now", extra: [(String, String)] = []
    ) -> [(String, String)] {
        [("kind", kind), ("language", "nl"), ("title", title), ("summary", summary), ("body", body), ("publish", publish), ("comments", "on")]
            + extra
    }

    /// Writes an item through POST /news/new and returns its topic id.
    static func write(_ editor: TestBrowser, _ fields: [(String, String)]) async throws -> Int {
        let response = try await editor.post("/news/new", fields)
        guard response.status == .seeOther, let location = response.location, location.hasPrefix("/news/"),
            let id = Int(location.dropFirst(6).prefix { $0.isNumber })
        else {
            throw FixtureError("writing news failed: \(response.status) \(response.text.prefix(400))")
        }
        return id
    }

    static func publishing(_ app: Application) -> NewsPublishing {
        NewsPublishing(database: app.db, clock: app.connect.clock)
    }
}

@Suite("News and publications", .serialized)
struct NewsTests {
    @Test("an editor publishes news; members read it, react, comment, and hear of it in the app only")
    func publishNews() async throws {
        try await withConnectApp { app in
            let (editor, editorMember) = try await ForumSteps.loggedIn(app, role: .editor)
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let id = try await NewsSteps.write(editor, NewsSteps.fields())
            let list = try await anna.get("/news").text
            #expect(list.contains("Nieuw: de wandelgroep") && list.contains("Elke zaterdag wandelen we samen."))
            let page = try await anna.get("/news/\(id)")
            #expect(page.status == .ok && page.text.contains("elke zaterdag om tien uur") && page.text.contains("Redactie"))
            let post = try await ForumSteps.post(app, topic: id, number: 1)
            #expect(post.screening == .screened && post.authorID == editorMember.id)
            #expect(try await anna.post("/p/\(try post.requireID())/react", [("kind", "thanks")]).status == .seeOther)
            #expect(try await ForumSteps.reply(anna, topic: id, body: "Wat een goed idee!").hasPrefix("/news/\(id)"))
            // The comment is a post: unscreened, in the moderators' screening like any other.
            #expect(try await ForumSteps.post(app, topic: id, number: 2).screening == .unscreened)
            // Members hear of it when the job runs, in the app; by email only if they chose so.
            let figures = try await NewsSteps.publishing(app).runOnce()
            #expect(figures.told >= 1)
            let note = try #require(
                try await Notification.query(on: app.db).filter(\.$memberID == annaMember.requireID()).filter(\.$kind == .news).first())
            #expect(note.emailState == .none && note.topicID == id)
            #expect(try await Notification.query(on: app.db).filter(\.$memberID == editorMember.requireID()).filter(\.$kind == .news).count() == 0)
            #expect(try await NewsSteps.publishing(app).runOnce().told == 0)
            #expect(try await anna.get("/notifications").text.contains("Nieuws van het team"))
            // Not a forum topic: the forum's lists never show it.
            #expect(!(try await anna.get("/").text.contains("Wat een goed idee")))
        }
    }

    @Test("a publication shows its source, with the evidence-based mark when picked from the moderators' sources")
    func publication() async throws {
        try await withConnectApp { app in
            let (editor, _) = try await ForumSteps.loggedIn(app, role: .editor)
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let source = try await ModerationSteps.source(app)
            let missing = try await editor.post("/news/new", NewsSteps.fields(title: "Bewegen helpt", kind: "publication"))
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Een publicatie noemt haar bron") && missing.text.contains("Bewegen helpt"))
            let id = try await NewsSteps.write(
                editor,
                NewsSteps.fields(
                    title: "Bewegen helpt", kind: "publication",
                    extra: [("source_pick", try source.requireID().uuidString), ("source_authors", "Jansen et al."), ("source_year", "2024")]))
            let page = try await anna.get("/news/\(id)").text
            #expect(page.contains("Jansen et al. · Thuisarts: depressie · 2024"))
            #expect(page.contains("https://www.thuisarts.nl/depressie") && page.contains("evidence-mark"))
            let typed = try await NewsSteps.write(
                editor, NewsSteps.fields(title: "Slaap", kind: "publication", extra: [("source_link", "https://doi.org/10.1000/xyz")]))
            let other = try await anna.get("/news/\(typed)").text
            #expect(other.contains("https://doi.org/10.1000/xyz") && !other.contains("evidence-mark"))
            let bad = try await editor.post(
                "/news/new",
                NewsSteps.fields(title: "Slaap", kind: "publication", extra: [("source_link", "javascript:alert(1)"), ("source_year", "twintig")]))
            #expect(bad.status == .unprocessableEntity && bad.text.contains("https://") && bad.text.contains("javascript:alert(1)"))
            let filtered = try await anna.get("/news?kind=publication").text
            #expect(filtered.contains("Bewegen helpt") && !filtered.contains("Nieuw: de wandelgroep"))
        }
    }

    @Test("an item in both languages is read in the reader's language")
    func bothLanguages() async throws {
        try await withConnectApp { app in
            let (editor, _) = try await ForumSteps.loggedIn(app, role: .editor)
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let fields =
                NewsSteps.fields(title: "Wandelgroep", summary: "Samen wandelen.", body: "Nederlandse tekst.").filter { $0.0 != "language" }
                + [
                    ("language", "both"), ("second_title", "Walking group"), ("second_summary", "Walking together."),
                    ("second_body", "English text."),
                ]
            let id = try await NewsSteps.write(editor, fields)
            #expect(try await anna.get("/news/\(id)").text.contains("Nederlandse tekst."))
            annaMember.locale = .en
            try await annaMember.save(on: app.db)
            let english = try await anna.get("/news/\(id)").text
            #expect(english.contains("English text.") && english.contains("Walking group") && !english.contains("Nederlandse tekst."))
            #expect(try await anna.get("/news").text.contains("Walking together."))
            // Told in her language too.
            _ = try await NewsSteps.publishing(app).runOnce()
            let notifications = try await anna.get("/notifications").text
            #expect(notifications.contains("Walking group") && !notifications.contains("Wandelgroep"))
            let incomplete = try await editor.post("/news/new", NewsSteps.fields().filter { $0.0 != "language" } + [("language", "both")])
            #expect(incomplete.status == .unprocessableEntity)
        }
    }

    @Test("drafts and scheduled items are for editors until their time; then members see them")
    func draftsAndSchedule() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (editor, _) = try await ForumSteps.loggedIn(app, role: .editor)
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let draft = try await NewsSteps.write(editor, NewsSteps.fields(title: "Nog niet af", publish: "draft"))
            let later = NewsForm.format(clock.now().addingTimeInterval(7200), zone: DateFormatting.communityZone)
            let scheduled = try await NewsSteps.write(
                editor, NewsSteps.fields(title: "Straks te lezen", publish: "later", extra: [("publish_at", later)]))
            let editorList = try await editor.get("/news").text
            #expect(editorList.contains("Nog niet af") && editorList.contains("Straks te lezen") && editorList.contains("drafts"))
            for viewer in [anna, moderator] {
                #expect(try await viewer.get("/news/\(draft)").status == .notFound)
                #expect(try await viewer.get("/news/\(scheduled)").status == .notFound)
                #expect(!(try await viewer.get("/news").text.contains("Straks te lezen")))
                #expect(!(try await viewer.get("/search?q=Straks").text.contains("Straks te lezen")))
            }
            #expect(try await NewsSteps.publishing(app).runOnce().published == 0)
            clock.advance(by: 7300)
            #expect(try await NewsSteps.publishing(app).runOnce().published == 1)
            #expect(try await anna.get("/news/\(scheduled)").status == .ok)
            #expect(try await anna.get("/news").text.contains("Straks te lezen"))
            #expect(try await anna.get("/news/\(draft)").status == .notFound)
            // The draft, published later from its form.
            let edit = try await editor.post("/news/\(draft)/edit", NewsSteps.fields(title: "Nu af", publish: "now"))
            #expect(edit.status == .seeOther)
            #expect(try await anna.get("/news/\(draft)").text.contains("Nu af"))
            let badTime = try await editor.post("/news/new", NewsSteps.fields(title: "Ooit", publish: "later", extra: [("publish_at", "morgen")]))
            #expect(badTime.status == .unprocessableEntity && badTime.text.contains("morgen"))
        }
    }

    @Test("visitors read public items and nothing else of the news")
    func visitors() async throws {
        try await withConnectApp { app in
            let (editor, _) = try await ForumSteps.loggedIn(app, role: .editor)
            let open = try await NewsSteps.write(editor, NewsSteps.fields(title: "Depressie Connect is open", extra: [("public", "on")]))
            let closed = try await NewsSteps.write(editor, NewsSteps.fields(title: "Alleen voor leden"))
            let draft = try await NewsSteps.write(editor, NewsSteps.fields(title: "Openbaar concept", publish: "draft", extra: [("public", "on")]))
            let visitor = TestBrowser(app)
            let page = try await visitor.get("/news/\(open)")
            #expect(page.status == .ok && page.text.contains("Depressie Connect is open") && !page.text.contains("reply-form"))
            for id in [closed, draft, 999_999] {
                #expect(try await visitor.get("/news/\(id)").location?.hasPrefix("/login") == true)
            }
            let list = try await visitor.get("/news").text
            #expect(list.contains("Depressie Connect is open") && !list.contains("Alleen voor leden") && !list.contains("Openbaar concept"))
            let post = try await ForumSteps.post(app, topic: open, number: 1)
            #expect(try await visitor.post("/p/\(try post.requireID())/react", [("kind", "thanks")]).location?.hasPrefix("/login") == true)
            #expect(try await visitor.get("/t/\(open)").location?.hasPrefix("/login") == true)
        }
    }

    @Test("who may write: editors and admins with two-factor sign-in; members, moderators and researchers may not")
    func permissions() async throws {
        try await withConnectApp { app in
            let (editor, _) = try await ForumSteps.loggedIn(app, role: .editor)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let id = try await NewsSteps.write(editor, NewsSteps.fields(title: "Van de redactie"))
            #expect(try await admin.get("/news/new").status == .ok)
            #expect(try await admin.get("/news/\(id)/edit").status == .ok)
            for role in [Role.member, .moderator, .researcher] {
                let (browser, _) = try await ForumSteps.loggedIn(app, role: role)
                #expect(try await browser.get("/news/new").status == .forbidden, "\(role)")
                #expect(try await browser.post("/news/new", NewsSteps.fields()).status == .forbidden, "\(role)")
                #expect(try await browser.get("/news/\(id)/edit").status == .forbidden, "\(role)")
                #expect(try await browser.post("/news/\(id)/edit", NewsSteps.fields(title: "Overgenomen")).status == .forbidden, "\(role)")
            }
            #expect(try await Topic.find(id, on: app.db)?.title == "Van de redactie")
            // An editor without two-factor sign-in sets it up first.
            let bare = try await Fixtures.member(app, role: .editor)
            bare.totpSecret = nil
            bare.totpEnabledAt = nil
            try await bare.save(on: app.db)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, bare)
            #expect(try await browser.get("/news/new").location == "/settings/two-factor")
            // Guessing ids.
            #expect(try await editor.get("/news/999999/edit").status == .notFound)
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            #expect(try await anna.get("/news/\(topic)").status == .notFound)
            #expect(try await editor.get("/news/\(topic)/edit").status == .notFound)
        }
    }

    @Test("comments can be off; the news list and an item's page run a fixed number of queries")
    func commentsAndQueries() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (editor, _) = try await ForumSteps.loggedIn(app, role: .editor)
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let quiet = try await NewsSteps.write(editor, NewsSteps.fields(title: "Zonder reacties").filter { $0.0 != "comments" })
            let quietPage = try await anna.get("/news/\(quiet)").text
            #expect(quietPage.contains("comments-off") && !quietPage.contains("reply-form"))
            #expect(try await anna.post("/t/\(quiet)/reply", [("body", "Toch")]).status == .forbidden)
            let first = try await NewsSteps.write(editor, NewsSteps.fields(title: "Eerste"))
            counter.reset()
            _ = try await anna.get("/news")
            let listOne = counter.count
            // One comment of her own already: "read by" is asked for the reader's own posts.
            try await ForumSteps.reply(anna, topic: first, body: "Eerste reactie")
            _ = try await anna.get("/news/\(first)")
            counter.reset()
            _ = try await anna.get("/news/\(first)")
            let itemSmall = counter.count
            for i in 0..<12 {
                _ = try await NewsSteps.write(editor, NewsSteps.fields(title: "Bericht \(i)"))
                try await ForumSteps.reply(anna, topic: first, body: "Reactie \(i)")
            }
            counter.reset()
            _ = try await anna.get("/news")
            #expect(counter.count == listOne, "\(counter.statements)")
            _ = try await anna.get("/news/\(first)")
            counter.reset()
            _ = try await anna.get("/news/\(first)")
            #expect(counter.count == itemSmall, "\(counter.statements)")
        }
    }
}
