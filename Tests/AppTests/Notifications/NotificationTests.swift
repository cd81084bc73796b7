import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite("Notifications in the app", .serialized)
struct NotificationTests {
    @Test("a reply, a quote and a mention notify the right people once; the header counts them; opening marks read; reactions are grouped")
    func inApp() async throws {
        try await withConnectApp { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (anna, annaMember) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (carla, carlaMember) = try await ForumSteps.loggedIn(app, pseudonym: "Carla")
            let topicID = try await ForumSteps.startTopic(bram)
            try await ForumSteps.reply(anna, topic: topicID, body: "Herkenbaar. @Carla, jij schreef hier ook over?")
            // Bram's own reply notifies nobody of itself; Anna is quoted.
            try await ForumSteps.reply(bram, topic: topicID, body: "**Anna** schreef:\n\n> Herkenbaar.\n\nDank je.")

            let bramNotes = try await NotificationSteps.notifications(app, of: bramMember)
            #expect(bramNotes.map(\.kind) == [.reply])
            #expect(try await NotificationSteps.notifications(app, of: carlaMember).map(\.kind) == [.mention])
            #expect(try await NotificationSteps.notifications(app, of: annaMember).map(\.kind) == [.quote])

            let home = try await bram.get("/")
            #expect(home.text.contains("id=\"notification-count\"") && home.text.contains(" 1<span class=\"visually-hidden\">"))
            let list = try await bram.get("/notifications")
            #expect(list.text.contains("Anna reageerde in je onderwerp"))
            let id = try #require(bramNotes.first?.id)
            // Someone else's notification does not exist for Carla.
            #expect(try await carla.get("/notifications/\(id.uuidString)/open").status == .notFound)
            let open = try await bram.get("/notifications/\(id.uuidString)/open")
            #expect(open.location?.hasPrefix("/t/\(topicID)") == true)
            #expect(try await App.Notification.find(id, on: app.db)?.readAt != nil)

            // Three members appreciate Bram's first post: one notification, counted.
            let post = try await ForumSteps.post(app, topic: topicID, number: 1)
            for browser in [anna, carla] { _ = try await browser.post("/p/\(post.id!)/react", [("kind", "thanks")]) }
            let (dirk, _) = try await ForumSteps.loggedIn(app)
            _ = try await dirk.post("/p/\(post.id!)/react", [("kind", "recognise")])
            let reactions = try await NotificationSteps.notifications(app, of: bramMember).filter { $0.kind == .reaction }
            #expect(reactions.count == 1 && reactions.first?.count == 3)
            #expect(try await bram.get("/notifications").text.contains("3 leden waardeerden je bericht"))
            #expect(try await bram.post("/notifications/read-all", []).status == .seeOther)
            #expect(try await NotificationRows.unreadCount(of: bramMember.requireID(), on: app.db) == 0)
            // Reading the topic settles its notifications too.
            try await ForumSteps.reply(anna, topic: topicID, body: "Nog een gedachte")
            #expect(try await NotificationRows.unreadCount(of: bramMember.requireID(), on: app.db) == 1)
            _ = try await bram.get("/t/\(topicID)")
            #expect(try await NotificationRows.unreadCount(of: bramMember.requireID(), on: app.db) == 0)
        }
    }

    @Test("watching a topic brings every post; muting a topic hides it and silences it; a muted member's posts fold away and notify nothing")
    func watchingAndMuting() async throws {
        try await withConnectApp { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (anna, annaMember) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let (carla, _) = try await ForumSteps.loggedIn(app, pseudonym: "Carla")
            let topicID = try await ForumSteps.startTopic(bram, title: "Wandelen helpt")
            #expect(try await anna.post("/t/\(topicID)/watch", [("level", "watching")]).status == .seeOther)
            #expect(try await anna.post("/t/\(topicID)/watch", [("level", "loud")]).status == .badRequest)
            try await ForumSteps.reply(carla, topic: topicID, body: "Ik loop elke ochtend")
            #expect(try await NotificationSteps.notifications(app, of: annaMember).map(\.kind) == [.watching])

            // Bram mutes Carla: her reply folds away for him and brings no notification.
            #expect(try await bram.post("/u/Carla/mute", [("mute", "on")]).status == .seeOther)
            try await ForumSteps.reply(carla, topic: topicID, body: "En in de avond ook")
            #expect(try await NotificationSteps.notifications(app, of: bramMember).filter { $0.kind == .reply }.count == 1)
            let page = try await bram.get("/t/\(topicID)")
            #expect(page.text.contains("post-muted") && page.text.contains("<details>"))
            #expect(!(try await anna.get("/t/\(topicID)")).text.contains("post-muted"))

            // Anna mutes the topic: gone from her list, and quiet.
            #expect(try await anna.post("/t/\(topicID)/watch", [("level", "muted")]).status == .seeOther)
            #expect(!(try await anna.get("/")).text.contains("Wandelen helpt"))
            #expect(try await bram.get("/").text.contains("Wandelen helpt"))
            let before = try await NotificationSteps.notifications(app, of: annaMember).count
            try await ForumSteps.reply(bram, topic: topicID, body: "Fijn om te lezen, @Anna")
            #expect(try await NotificationSteps.notifications(app, of: annaMember).count == before)

            // A muted theme: its topics leave the overall list; its own page still shows them.
            let topic = try #require(try await Topic.find(topicID, on: app.db))
            let category = try #require(try await Category.find(topic.categoryID, on: app.db))
            #expect(try await carla.get("/").text.contains("Wandelen helpt"))
            #expect(try await carla.post("/c/\(category.slug)/watch", [("level", "muted")]).status == .seeOther)
            #expect(!(try await carla.get("/")).text.contains("Wandelen helpt"))
            #expect(try await carla.get("/c/\(category.slug)").text.contains("Wandelen helpt"))
        }
    }

    @Test("notification pages need a login; forms need the CSRF token")
    func permissions() async throws {
        try await withConnectApp { app in
            let visitor = TestBrowser(app)
            for path in ["/notifications", "/settings/notifications", "/settings/break", "/away", "/live"] {
                #expect(try await visitor.get(path).status == .seeOther)
            }
            let (browser, _) = try await ForumSteps.loggedIn(app)
            #expect(try await browser.post("/notifications/read-all", [], includeCSRF: false).status == .forbidden)
            #expect(try await browser.post("/settings/break", [("length", "day")], includeCSRF: false).status == .forbidden)
        }
    }
}
