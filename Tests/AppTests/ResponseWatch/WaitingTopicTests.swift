import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite("No post left alone: topics waiting for a response", .serialized)
struct WaitingTopicTests {
    typealias S = SafetyNetSteps

    @Test("a first topic waits after 6 hours and another after 12; a reply by someone else ends the wait, the author's own does not")
    func waitsAndLeaves() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator, pseudonym: "Mira")

            let first = try await ForumSteps.startTopic(anna, title: "Mijn eerste onderwerp")
            clock.advance(by: 6 * S.hour - 60)
            #expect(try await S.queue(moderator) == [], "not yet: a first topic waits 6 hours")
            clock.advance(by: 120)
            #expect(try await S.queue(moderator) == [first])
            let queuePage = try await moderator.get("/mod/queue").text
            #expect(queuePage.contains("Eerste onderwerp") && queuePage.contains("href=\"/t/\(first)/reply\""))

            // Anna's second topic follows the 12-hour rule; Bram answers her first one.
            let second = try await ForumSteps.startTopic(anna, title: "Nog een vraag")
            try await ForumSteps.reply(bram, topic: first, body: "Ik herken dit, sterkte.")
            #expect(try await S.queue(moderator) == [], "Bram's reply ends the first topic's wait")
            clock.advance(by: 6 * S.hour + 60)
            #expect(try await S.queue(moderator) == [], "a second topic waits 12 hours, not 6")
            clock.advance(by: 6 * S.hour)
            #expect(try await S.queue(moderator) == [second])

            // The author's own follow-up is not an answer; a moderator's reply is.
            try await ForumSteps.reply(anna, topic: second, body: "Is er echt niemand die dit kent?")
            #expect(try await S.queue(moderator) == [second])
            try await ForumSteps.reply(moderator, topic: second, body: "Fijn dat je het vraagt, Anna. Ik lees mee.")
            #expect(try await S.queue(moderator) == [])
        }
    }

    @Test("the queue and the dashboard list waiting topics oldest first; the team's topics and closed ones do not wait")
    func oldestFirstAndWhoCounts() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let older = try await ForumSteps.startTopic(bram, title: "Ouder onderwerp")
            clock.advance(by: S.hour)
            let newer = try await ForumSteps.startTopic(anna, title: "Nieuwer onderwerp")
            let teamTopic = try await ForumSteps.startTopic(moderator, title: "Een bericht van het team")
            let closed = try await ForumSteps.startTopic(anna, title: "Gesloten onderwerp")
            #expect(try await moderator.post("/t/\(closed)/close", [("reason", "Dubbel onderwerp")]).status == .seeOther)
            clock.advance(by: 13 * S.hour)
            #expect(try await S.queue(moderator) == [older, newer])
            #expect(!(try await S.queue(moderator)).contains(teamTopic))
            let dashboard = try await moderator.get("/mod").text
            #expect(S.ids(in: dashboard, prefix: "waiting-topic-") == [older, newer])
            #expect(S.text(of: "figure-waiting", in: dashboard) == "2 onderwerpen")
        }
    }

    @Test("a hidden or held topic does not wait; a hidden reply is no answer")
    func visibility() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let hidden = try await ForumSteps.startTopic(anna, title: "Wordt verborgen")
            let answered = try await ForumSteps.startTopic(anna, title: "Krijgt een reactie")
            try await ForumSteps.reply(bram, topic: answered, body: "Een reactie die verborgen wordt.")
            let opening = try await ForumSteps.post(app, topic: hidden, number: 1).requireID()
            #expect(try await moderator.post("/mod/posts/\(opening)/hide", [("reason", "Persoonlijke gegevens")]).status == .seeOther)
            clock.advance(by: 13 * S.hour)
            #expect(try await S.queue(moderator) == [])
            let reply = try await ForumSteps.post(app, topic: answered, number: 2).requireID()
            #expect(try await moderator.post("/mod/posts/\(reply)/hide", [("reason", "Kwetsend")]).status == .seeOther)
            #expect(try await S.queue(moderator) == [answered], "a hidden reply does not count as an answer")
            // Held: a topic whose opening post waits for a moderator is in no list.
            let held = try await ForumSteps.startTopic(anna, title: "Wacht op een moderator")
            let topic = try #require(try await Topic.find(held, on: app.db))
            topic.visible = false
            try await topic.save(on: app.db)
            clock.advance(by: 13 * S.hour)
            #expect(try await S.queue(moderator) == [answered])
        }
    }

    @Test("the dashboard shows the median time to a first response and how many topics waited longer than the set time")
    func figures() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            var page = try await moderator.get("/mod").text
            #expect(S.text(of: "figure-first-response", in: page) == "Nog geen reacties in de laatste 30 dagen.")
            #expect(S.text(of: "figure-waited-too-long", in: page) == "0 onderwerpen")

            let quick = try await ForumSteps.startTopic(anna, title: "Snel beantwoord")  // Anna's first topic
            clock.advance(by: 2 * S.hour)
            try await ForumSteps.reply(bram, topic: quick, body: "Welkom!")
            let slow = try await ForumSteps.startTopic(bram, title: "Traag beantwoord")  // Bram's first: 6 hours
            clock.advance(by: 8 * S.hour)
            try await ForumSteps.reply(anna, topic: slow, body: "Sorry dat het even duurde.")
            let none = try await ForumSteps.startTopic(anna, title: "Geen antwoord")  // Anna's second: 12 hours
            clock.advance(by: 11 * S.hour)
            page = try await moderator.get("/mod").text
            // Median of 2 h and 8 h; the slow first topic waited too long, the unanswered one not yet.
            #expect(S.text(of: "figure-first-response", in: page) == "5 u 0 min")
            #expect(S.text(of: "figure-waited-too-long", in: page) == "1 onderwerp")
            clock.advance(by: 2 * S.hour)
            page = try await moderator.get("/mod").text
            #expect(S.text(of: "figure-waited-too-long", in: page) == "2 onderwerpen")
            #expect(S.ids(in: page, prefix: "waiting-topic-") == [none])
            // An answer by the author does not change the figures.
            try await ForumSteps.reply(anna, topic: none, body: "Nog steeds benieuwd.")
            #expect(S.text(of: "figure-first-response", in: try await moderator.get("/mod").text) == "5 u 0 min")
        }
    }

    @Test("the waiting list is for moderators and admins: visitors go to log in, members and researchers are refused")
    func access() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, title: "Wie ziet mij?")
            clock.advance(by: 13 * S.hour)
            let visitor = try await TestBrowser(app).get("/mod/queue")
            #expect(visitor.status == .seeOther && visitor.location?.hasPrefix("/login") == true)
            let (researcher, _) = try await ForumSteps.loggedIn(app, role: .researcher)
            for browser in [anna, researcher] {
                #expect(try await browser.get("/mod/queue").status == .forbidden)
                #expect(try await browser.get("/mod").status == .forbidden)
            }
            for role in [Role.moderator, .admin] {
                let (browser, _) = try await ForumSteps.loggedIn(app, role: role)
                #expect(try await S.queue(browser) == [topic])
                #expect(S.ids(in: try await browser.get("/mod").text, prefix: "waiting-topic-") == [topic])
            }
        }
    }

    @Test("the queue and the dashboard run as many queries for 1 waiting topic as for 8")
    func queryCounts() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            var authors: [TestBrowser] = []
            for _ in 0..<8 { authors.append(try await ForumSteps.loggedIn(app).0) }
            _ = try await ForumSteps.startTopic(authors[0], title: "Onderwerp 0")
            clock.advance(by: 13 * S.hour)
            var counts: [String: Int] = [:]
            for path in ["/mod", "/mod/queue"] {
                counter.reset()
                _ = try await moderator.get(path)
                counts[path] = counter.count
            }
            for (i, author) in authors.enumerated().dropFirst() { _ = try await ForumSteps.startTopic(author, title: "Onderwerp \(i)") }
            clock.advance(by: 13 * S.hour)
            #expect(try await S.queue(moderator).count == 8)
            for path in ["/mod", "/mod/queue"] {
                counter.reset()
                _ = try await moderator.get(path)
                #expect(counter.count == counts[path], "\(path): \(counts[path] ?? 0) then \(counter.statements)")
            }
        }
    }
}
