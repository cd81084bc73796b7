import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Nothing lost, nothing by accident: deleting one's own post asks first and can be undone for
/// ten minutes, exactly as it was.
@Suite("Deleting one's own post asks first and can be undone", .serialized)
struct RemoveOwnPostTests {
    @Test("the author is asked first, deletes, and undoes it: the post comes back screened as before and in search again")
    func deleteAndUndo() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Vandaag wandelde ik langs de kersenbloesem")
            let post = try await ForumSteps.post(app, topic: topic, number: 2)
            let id = try post.requireID()
            // A moderator screened it: undo must bring back "screened", not "unscreened".
            post.screening = .screened
            try await post.save(on: app.db)
            #expect(try await anna.get("/search?q=kersenbloesem").text.contains("/t/\(topic)"))

            let page = try await anna.get("/t/\(topic)")
            #expect(page.text.contains("href=\"/p/\(id)/remove\""))
            let ask = try await anna.get("/p/\(id)/remove")
            #expect(ask.status == .ok)
            #expect(ask.text.contains("id=\"remove-excerpt\"") && ask.text.contains("kersenbloesem"))
            #expect(ask.text.contains("action=\"/p/\(id)/remove\""))
            #expect(try await Post.find(id, on: app.db)?.screening == .screened, "asking deletes nothing")

            // Without the CSRF token nothing happens.
            #expect(try await anna.post("/p/\(id)/remove", [], includeCSRF: false).status == .forbidden)
            let removed = try await anna.post("/p/\(id)/remove", [])
            #expect(removed.status == .seeOther && removed.location == "/t/\(topic)?page=1#post-2")
            let gone = try #require(try await Post.find(id, on: app.db))
            #expect(gone.screening == .removed && gone.removedFrom == .screened && gone.removedAt == clock.now())
            #expect(!(try await anna.get("/search?q=kersenbloesem").text.contains("/t/\(topic)")))
            let withUndo = try await anna.get("/t/\(topic)")
            #expect(withUndo.text.contains("id=\"post-2-undo\"") && withUndo.text.contains("action=\"/p/\(id)/undo-remove\""))
            // Others see the placeholder, and no undo.
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let seen = try await bram.get("/t/\(topic)").text
            #expect(!seen.contains("post-2-undo") && !seen.contains("kersenbloesem"))
            #expect(try await bram.post("/p/\(id)/undo-remove", []).status == .forbidden)
            // Asking again for a deleted post leads back to it.
            #expect(try await anna.get("/p/\(id)/remove").location == "/t/\(topic)?page=1#post-2")

            clock.advance(by: 9 * 60)
            #expect(try await anna.post("/p/\(id)/undo-remove", [], includeCSRF: false).status == .forbidden)
            let undone = try await anna.post("/p/\(id)/undo-remove", [])
            #expect(undone.status == .seeOther)
            let back = try #require(try await Post.find(id, on: app.db))
            #expect(back.screening == .screened && back.removedAt == nil && back.removedFrom == nil)
            #expect(try await anna.get("/search?q=kersenbloesem").text.contains("/t/\(topic)"))
            #expect(try await bram.get("/t/\(topic)").text.contains("kersenbloesem"))
            let actions = try await ModerationSteps.auditActions(app)
            #expect(actions.contains("post.remove_own") && actions.contains("post.restore_own"))
        }
    }

    @Test("after ten minutes the undo is refused kindly and the post stays deleted")
    func undoExpires() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Even iets kwijt")
            let id = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            #expect(try await anna.post("/p/\(id)/remove", []).status == .seeOther)
            clock.advance(by: 10 * 60)
            #expect(!(try await anna.get("/t/\(topic)").text.contains("post-2-undo")), "the undo is still offered")
            let late = try await anna.post("/p/\(id)/undo-remove", [])
            #expect(late.status == .seeOther)
            #expect(try await anna.get(try #require(late.location)).text.contains("de tijd daarvoor is voorbij"))
            #expect(try await Post.find(id, on: app.db)?.screening == .removed)
        }
    }

    @Test("the opening post is deleted like today (the topic stays) and its undo brings it back unscreened and findable")
    func openingPost() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, title: "Zonnebloemen in de winter", body: "Een opening over zonnebloemen")
            let first = try await ForumSteps.post(app, topic: topic, number: 1)
            let id = try first.requireID()
            #expect(try await anna.get("/p/\(id)/remove").text.contains("id=\"remove-first-post\""))
            #expect(try await anna.post("/p/\(id)/remove", []).status == .seeOther)
            #expect(try await Topic.find(topic, on: app.db)?.visible == true, "the topic stays listed, as before")
            #expect(!(try await anna.get("/search?q=zonnebloemen").text.contains("/t/\(topic)")))
            #expect(try await anna.post("/p/\(id)/undo-remove", []).status == .seeOther)
            #expect(try await Post.find(id, on: app.db)?.screening == .unscreened)
            #expect(try await anna.get("/search?q=zonnebloemen").text.contains("/t/\(topic)"))
        }
    }

    @Test("who may ask, delete and undo: only the author; a visitor logs in; an unknown id is 404")
    func permissions() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Mijn eigen reactie")
            let id = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            let visitor = TestBrowser(app)
            #expect(try await visitor.get("/p/\(id)/remove").location?.hasPrefix("/login") == true)
            #expect(try await visitor.post("/p/\(id)/remove", []).location?.hasPrefix("/login") == true)
            #expect(try await visitor.post("/p/\(id)/undo-remove", []).location?.hasPrefix("/login") == true)
            for role in [Role.member, .moderator, .admin] {
                let (other, _) = try await ForumSteps.loggedIn(app, role: role)
                #expect(try await other.get("/p/\(id)/remove").status == .forbidden, "\(role) may ask")
                #expect(try await other.post("/p/\(id)/remove", []).status == .forbidden, "\(role) may delete")
                #expect(try await other.post("/p/\(id)/undo-remove", []).status == .forbidden, "\(role) may undo")
                #expect(try await other.get("/p/999999/remove").status == .notFound)
                #expect(try await other.post("/p/999999/undo-remove", []).status == .notFound)
            }
            #expect(try await Post.find(id, on: app.db)?.screening == .unscreened)
            #expect(try await anna.get("/p/999999/remove").status == .notFound)
        }
    }
}

/// Sign-up asks for 18 or older; the settings lead to notifications and the break; the export
/// holds how much the site may reach out.
@Suite("Nothing by accident: age, settings and export", .serialized)
struct NothingByAccidentTests {
    static let fields: [(String, String)] = [
        ("email", "anna@example.org"), ("pseudonym", "Stille Reiger"), ("real_name", "Anna de Vries"), ("password", goodPassword),
        ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"),
    ]

    @Test("sign-up asks to confirm being 18 or older, keeps what was typed when it is missing, and records it")
    func adultsOnly() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            #expect(try await browser.get("/signup").text.contains("id=\"confirm_age\""))
            let refused = try await browser.post("/signup", Self.fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("confirm_age-error") && refused.text.contains("value=\"Stille Reiger\""))
            #expect(refused.text.contains("id=\"accept_terms\" name=\"accept_terms\" value=\"on\" checked"))
            #expect(try await Member.query(on: app.db).filter(\.$email == "anna@example.org").count() == 0)
            #expect(try await browser.post("/signup", Self.fields + [("confirm_age", "on")], includeCSRF: false).status == .forbidden)
            let done = try await browser.post("/signup", Self.fields + [("confirm_age", "on")])
            #expect(done.status == .ok && done.text.contains("signup-done"))
            let member = try #require(try await Member.query(on: app.db).filter(\.$email == "anna@example.org").first())
            let declared = try await PolicyAcceptance.query(on: app.db).filter(\.$member.$id == member.requireID())
                .filter(\.$pageSlug == PolicyAcceptance.adultDeclaration).count()
            #expect(declared == 1)
        }
    }

    @Test("/settings links to the notification settings and the break page")
    func settingsLinks() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let page = try await anna.get("/settings").text
            #expect(page.contains("id=\"notification-settings-link\" href=\"/settings/notifications\""))
            #expect(page.contains("id=\"break-link\" href=\"/settings/break\""))
        }
    }

    @Test("the export's settings file holds the notification choices, quiet hours and the break")
    func exportSettings() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, member) = try await ForumSteps.loggedIn(app)
            var form: [(String, String)] = NotificationPreferences.Channel.allCases.map { ("email_\($0.rawValue)", "weekly") }
            form += [("quiet_enabled", "on"), ("quiet_start", "21:30"), ("quiet_end", "07:15"), ("daily_budget", "3")]
            #expect(try await anna.post("/settings/notifications", form).status == .seeOther)
            #expect(try await anna.post("/settings/break", [("length", "week")]).status == .seeOther)
            let breakUntil = try #require(try await Member.find(member.id, on: app.db)?.breakUntil)

            let contents = try #require(try await ExportContents.gather(memberID: member.requireID(), on: app.db) { _ in })
            #expect(contents.settings.emailFrequencies["replies"] == "weekly" && contents.settings.emailFrequencies.count == 7)
            #expect(contents.settings.quietHours?.start == "21:30" && contents.settings.quietHours?.end == "07:15")
            #expect(contents.settings.dailyEmailLimit == 3)
            #expect(contents.settings.breakUntil == breakUntil)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("export.zip")
            try contents.writeArchive(to: file, now: clock.now(), localizer: app.connect.localizer, locale: .en)
            let zip = try ExportZip(try Data(contentsOf: file))
            let settings = try zip.json("settings.json")
            #expect((settings["quietHours"] as? [String: Any])?["start"] as? String == "21:30")
            #expect((settings["emailFrequencies"] as? [String: Any])?["mentions"] as? String == "weekly")
            #expect(settings["breakUntil"] is String)
            #expect(try zip.text("index.html").contains("Quiet hours"))
        }
    }
}
