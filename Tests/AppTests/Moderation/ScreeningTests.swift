import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite("Screening and its coverage figure", .serialized)
struct ScreeningTests {
    @Test("a moderator screens a page of posts in one click; they leave the screening list")
    func screenPage() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, title: "Eerste onderwerp")
            try await ForumSteps.reply(anna, topic: topic, body: "Een tweede bericht")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let page = try await moderator.get("/mod/screening")
            #expect(page.text.contains("Eerste onderwerp"))
            #expect(page.text.contains("Een tweede bericht"))
            let ids = try await Post.query(on: app.db).all().map { String($0.id!) }
            #expect(try await moderator.post("/mod/screening", ids.map { ("post[]", $0) }).status == .seeOther)
            #expect(try await Post.query(on: app.db).filter(\.$screening == .unscreened).count() == 0)
            #expect(try await Post.query(on: app.db).filter(\.$screenedAt == nil).count() == 0)
            #expect(try await moderator.get("/mod/screening").text.contains("screening-empty"))
            #expect(try await ModerationSteps.auditActions(app).contains("posts.screen"))
        }
    }

    @Test("coverage is the share of the last 30 days' posts screened within 12 hours")
    func coverage() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, member) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let now = clock.now()
            let sql = app.db as! any SQLDatabase
            // A constructed history: posts written at known times, screened (or not) at known times.
            let history: [(writtenHoursAgo: Double, screenedAfterHours: Double?)] = [
                (48, 1), (47, 11.5), (46, 13), (45, nil), (40 * 24, 1), (6, nil),
            ]
            try await sql.raw("DELETE FROM posts WHERE topic_id = \(bind: topic)").run()
            for (i, entry) in history.enumerated() {
                let written = now.addingTimeInterval(-entry.writtenHoursAgo * 3_600)
                let post = Post()
                post.topicID = topic
                post.number = i + 1
                post.authorID = try member.requireID()
                post.bodyMarkdown = "Bericht \(i)"
                post.bodyHTML = "<p>Bericht \(i)</p>"
                post.createdAt = written
                post.screening = entry.screenedAfterHours == nil ? .unscreened : .screened
                post.screenedAt = entry.screenedAfterHours.map { written.addingTimeInterval($0 * 3_600) }
                try await post.create(on: app.db)
            }
            let figures = try await ScreeningFigures.load(on: app.db, now: now)
            // Judged: the four posts 45–48 hours old (40 days is outside the window, 6 hours is too young).
            // In time: 1 h and 11.5 h. Late: 13 h. Never: one.
            #expect(figures.coverage == 0.5)
            #expect(figures.unscreened == 2)
            #expect(abs((figures.oldestUnscreenedAt ?? now).timeIntervalSince(now.addingTimeInterval(-45 * 3_600))) < 1)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.get("/mod").text.contains("50 %"))
        }
    }

    @Test("the screening page and the queue run as many queries for 3 items as for 50")
    func fixedQueries() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            for i in 0..<2 { try await ForumSteps.reply(anna, topic: topic, body: "Reactie \(i)") }
            for number in 1...3 {
                let post = try await ForumSteps.post(app, topic: topic, number: number).requireID()
                _ = try await bram.post("/p/\(post)/report", [("reason", "other"), ("note", "Klopt niet")])
            }
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            _ = try await moderator.get("/mod/screening")
            counter.reset()
            _ = try await moderator.get("/mod/screening")
            let small = counter.count
            counter.reset()
            _ = try await moderator.get("/mod/queue")
            let smallQueue = counter.count
            for i in 0..<47 { try await ForumSteps.reply(anna, topic: topic, body: "Meer \(i)") }
            for number in 4...15 {
                let post = try await ForumSteps.post(app, topic: topic, number: number).requireID()
                _ = try await bram.post("/p/\(post)/report", [("reason", "other"), ("note", "Klopt niet")])
            }
            counter.reset()
            _ = try await moderator.get("/mod/screening")
            #expect(counter.count == small, "screening: \(counter.statements)")
            counter.reset()
            _ = try await moderator.get("/mod/queue")
            #expect(counter.count == smallQueue, "queue: \(counter.statements)")
        }
    }
}
