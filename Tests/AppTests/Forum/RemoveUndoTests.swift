import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Deleting one's own post asks first and can be undone for 10 minutes")
struct RemoveUndoTests {
    @Test("the author is asked first, deletes, and undoes it within 10 minutes: the post comes back as it was and is found again")
    func confirmAndUndo() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Een zin over de zeemeeuwen aan het strand")
            let post = try await ForumSteps.post(app, topic: topic, number: 2)
            let id = try post.requireID()
            let before = post.screening

            // The topic page links to a question, not straight to a deleting button.
            let page = try await anna.get("/t/\(topic)").text
            #expect(page.contains("class=\"remove-link\" href=\"/p/\(id)/remove\""))
            let ask = try await anna.get("/p/\(id)/remove")
            #expect(ask.status == .ok && ask.text.contains("zeemeeuwen") && ask.text.contains("id=\"remove-cancel\""))
            #expect(try await ForumSteps.post(app, topic: topic, number: 2).screening == before, "asking deletes nothing")

            #expect(try await anna.post("/p/\(id)/remove", []).status == .seeOther)
            let removed = try await ForumSteps.post(app, topic: topic, number: 2)
            #expect(removed.screening == .removed && removed.removedFrom == before)
            #expect(try await anna.get("/t/\(topic)").text.contains("id=\"post-2-undo\""))

            clock.advance(by: 9 * 60)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            #expect(!(try await bram.get("/t/\(topic)").text.contains("post-2-undo")), "only the author may undo")
            #expect(try await bram.post("/p/\(id)/undo-remove", []).status == .notFound)
            #expect(try await anna.post("/p/\(id)/undo-remove", []).status == .seeOther)
            let back = try await ForumSteps.post(app, topic: topic, number: 2)
            #expect(back.screening == before && back.removedAt == nil)
            #expect(try await bram.get("/t/\(topic)").text.contains("zeemeeuwen"))
            #expect(try await bram.get("/search?q=zeemeeuwen").text.contains("id=\"search-results\""))
        }
    }

    @Test("after 10 minutes the deletion stays, kindly said; another member cannot ask, delete or undo; a visitor logs in first")
    func tooLateAndNotYours() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Nog een zin")
            let id = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            let (bram, _) = try await ForumSteps.loggedIn(app)
            #expect(try await bram.get("/p/\(id)/remove").status == .notFound)
            #expect(try await bram.post("/p/\(id)/remove", []).status == .forbidden)
            #expect(try await TestBrowser(app).get("/p/\(id)/remove").location?.hasPrefix("/login") == true)
            #expect(try await anna.post("/p/\(id)/remove", [], includeCSRF: false).status == .forbidden)
            #expect(try await anna.get("/p/999999/remove").status == .notFound)

            #expect(try await anna.post("/p/\(id)/remove", []).status == .seeOther)
            clock.advance(by: 10 * 60 + 1)
            #expect(!(try await anna.get("/t/\(topic)").text.contains("post-2-undo")))
            let late = try await anna.post("/p/\(id)/undo-remove", [])
            #expect(late.status == .seeOther)
            #expect(try await ForumSteps.post(app, topic: topic, number: 2).screening == .removed)
            #expect(try await anna.get(late.location ?? "/").text.contains("meer dan 10 minuten"))
        }
    }
}
