import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Responders see a few topics waiting for a reply on their home page", .serialized)
struct ResponderTests {
    typealias S = SafetyNetSteps

    @Test("being shown waiting topics is off by default, explained, and chosen in the notification settings")
    func theSetting() async throws {
        try await withConnectApp { app in
            let (bram, member) = try await ForumSteps.loggedIn(app)
            let page = try await bram.get("/settings/notifications").text
            #expect(page.contains("Ik wil berichten zien die nog op een reactie wachten"))
            #expect(page.contains("id=\"responder\" name=\"responder\" value=\"on\""))
            #expect(!page.contains("id=\"responder\" name=\"responder\" value=\"on\" checked"), "unchecked by default")
            #expect(page.contains("<label for=\"responder\">"))
            try await S.becomeResponder(bram)
            #expect(try await Member.find(member.id, on: app.db)?.responderSince != nil)
            #expect(try await bram.get("/settings/notifications").text.contains("id=\"responder\" name=\"responder\" value=\"on\" checked"))
            // A form with an error keeps the choice as sent, and saves nothing.
            var bad = S.notificationForm(responder: false)
            bad.removeAll { $0.0 == "daily_budget" }
            let refused = try await bram.post("/settings/notifications", bad + [("daily_budget", "99")])
            #expect(refused.status == .unprocessableEntity && !refused.text.contains("name=\"responder\" value=\"on\" checked"))
            #expect(try await Member.find(member.id, on: app.db)?.responderSince != nil)
            #expect(try await bram.post("/settings/notifications", S.notificationForm(responder: false)).status == .seeOther)
            #expect(try await Member.find(member.id, on: app.db)?.responderSince == nil)
            // In English too.
            let english = TestBrowser(app)
            english.acceptLanguage = "en"
            try await Fixtures.logIn(english, try await Fixtures.member(app, locale: .en))
            #expect(
                try await english.get("/settings/notifications").text.contains("I would like to be shown posts that are still waiting for a reply"))
        }
    }

    @Test("a responder sees at most three, newest first: never their own, nor muted topics, themes or members; others see none")
    func atMostThree() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (cora, _) = try await ForumSteps.loggedIn(app, pseudonym: "Cora")
            var topics: [Int] = []
            for i in 0..<5 {
                let (author, _) = try await ForumSteps.loggedIn(app, pseudonym: "Schrijver\(i)")
                topics.append(
                    try await ForumSteps.startTopic(author, category: i == 4 ? "relationships" : "living-with-depression", title: "Vraag \(i)"))
                clock.advance(by: 60)
            }
            let (dirk, _) = try await ForumSteps.loggedIn(app, pseudonym: "Dirk")
            let byDirk = try await ForumSteps.startTopic(dirk, title: "Van Dirk")
            let own = try await ForumSteps.startTopic(bram, title: "Van Bram zelf")
            clock.advance(by: 13 * S.hour)

            try await S.becomeResponder(bram)
            #expect(try await S.home(bram) == [byDirk, topics[4], topics[3]], "the three that began to wait last")
            let home = try await bram.get("/").text
            #expect(home.contains("Wacht nog op een reactie") && home.contains("wacht al 13 uur"))
            // Muting a topic, a theme and members takes theirs away; never their own topic.
            #expect(try await bram.post("/t/\(topics[3])/watch", [("level", "muted")]).status == .seeOther)
            #expect(try await bram.post("/c/relationships/watch", [("level", "muted")]).status == .seeOther)
            #expect(try await S.home(bram) == [byDirk, topics[2], topics[1]])
            for name in ["Dirk", "Schrijver1", "Schrijver2"] {
                #expect(try await bram.post("/u/\(name)/mute", [("mute", "on")]).status == .seeOther)
            }
            #expect(try await S.home(bram) == [topics[0]], "never their own topic")
            // Cora did not choose it; when she answers, the topic leaves Bram's list.
            #expect(try await S.home(cora) == [])
            #expect(!(try await cora.get("/")).text.contains("waiting-for-reply"))
            try await ForumSteps.reply(cora, topic: topics[0], body: "Ik lees je.")
            #expect(try await S.home(bram) == [])
            #expect(!(try await bram.get("/")).text.contains("waiting-for-reply"))
        }
    }

    @Test("nothing waits on a responder's home page during their quiet hours or a break")
    func quietHoursAndBreaks() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, member) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, title: "Lange nacht")
            clock.advance(by: 13 * S.hour)
            // Quiet hours around the present moment in Bram's time zone.
            let minute = LocalTime(clock.now(), member.zone).minute
            let clockText = { (m: Int) in NotificationSettingsRoutes.clock((m + 1_440) % 1_440) }
            try await S.becomeResponder(bram, quiet: (clockText(minute - 60), clockText(minute + 60)))
            #expect(try await S.home(bram) == [])
            clock.advance(by: 2 * S.hour)
            #expect(try await S.home(bram) == [topic], "after the quiet hours")
            #expect(try await bram.post("/settings/break", [("length", "day")]).status == .seeOther)
            #expect(try await S.home(bram) == [])
            clock.advance(by: S.day + 60)
            _ = try await bram.get("/away")
            #expect(try await S.home(bram) == [topic], "after the break")
        }
    }

    @Test("no waiting topic ever goes out by email")
    func neverByEmail() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, member) = try await ForumSteps.loggedIn(app)
            try await S.becomeResponder(bram)
            _ = try await ForumSteps.startTopic(anna, title: "Zonder antwoord")
            clock.advance(by: 13 * S.hour)
            #expect(try await S.home(bram).count == 1)
            try await NotificationSteps.mailer(app).runOnce()
            try await NotificationSteps.digest(app).run()
            clock.advance(by: 2 * S.day)
            try await NotificationSteps.digest(app).run()
            #expect(try await NotificationSteps.mails(app, to: member).isEmpty)
            #expect(try await NotificationSteps.notifications(app, of: member).isEmpty)
        }
    }

    @Test("the home page runs as many queries for a responder with 1 waiting topic as with 3, and none more for a member who did not choose it")
    func queryCounts() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let (cora, _) = try await ForumSteps.loggedIn(app)
            var authors: [TestBrowser] = []
            for _ in 0..<3 { authors.append(try await ForumSteps.loggedIn(app).0) }
            // A first visit each, so every measured visit has a previous one (and its "new since" list).
            for browser in [bram, cora] { _ = try await browser.get("/") }
            _ = try await ForumSteps.startTopic(authors[0], title: "Eén")
            clock.advance(by: 13 * S.hour)
            // Each page once before counting: the first visit after a while records it (one write).
            let measure = { (browser: TestBrowser) async throws -> (count: Int, statements: [String]) in
                _ = try await browser.get("/")
                counter.reset()
                _ = try await browser.get("/")
                return (counter.count, counter.statements)
            }
            let plain = try await measure(cora).count
            try await S.becomeResponder(bram)
            #expect(try await S.home(bram).count == 1)
            let one = try await measure(bram).count
            for (i, author) in authors.enumerated().dropFirst() { _ = try await ForumSteps.startTopic(author, title: "Nummer \(i)") }
            clock.advance(by: 13 * S.hour)
            #expect(try await S.home(bram).count == 3)
            let three = try await measure(bram)
            #expect(three.count == one, "1 waiting: \(one); 3 waiting: \(three.statements)")
            // Preferences, settings and the list: three small queries, only for responders.
            #expect(one == plain + 3, "member: \(plain), responder: \(one)")
            #expect(try await measure(cora).count == plain)
        }
    }
}
