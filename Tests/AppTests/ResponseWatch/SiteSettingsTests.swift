import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Admins set the community's settings; a test-only clock offset", .serialized)
struct SiteSettingsTests {
    typealias S = SafetyNetSteps

    static func form(_ wait: String, _ first: String, _ topics: String = "5", _ days: String = "7") -> [(String, String)] {
        [("response_wait_hours", wait), ("response_first_topic_wait_hours", first), ("care_topics", topics), ("care_days", days)]
    }

    @Test("the settings show their defaults; bad values come back as typed with errors; a change is audit-logged and takes effect")
    func changeSettings() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (admin, adminMember) = try await ForumSteps.loggedIn(app, role: .admin)
            let page = try await admin.get("/admin/settings")
            #expect(page.status == .ok)
            for (field, value) in Self.form("12", "6", "5", "7") {
                #expect(page.text.contains("id=\"\(field)\" name=\"\(field)\" type=\"text\" value=\"\(value)\""), "\(field)")
                #expect(page.text.contains("<label for=\"\(field)\""), "\(field) is labelled")
            }
            #expect(page.text.contains("name=\"_csrf\""))

            let bad = try await admin.post("/admin/settings", Self.form("twaalf", "6", "1", "7"))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("value=\"twaalf\"") && bad.text.contains("Vul het aantal uren in als heel getal van 1 tot en met 72."))
            #expect(bad.text.contains("Vul het aantal onderwerpen in als heel getal van 2 tot en met 50."))
            let longer = try await admin.post("/admin/settings", Self.form("4", "8"))
            #expect(longer.status == .unprocessableEntity && longer.text.contains("Een eerste onderwerp kan niet langer wachten"))
            #expect(try await SiteSettingsQueries.load(on: app.db) == SiteSettings())
            #expect(try await admin.post("/admin/settings", Self.form("12", "6"), includeCSRF: false).status == .forbidden)

            let saved = try await admin.post("/admin/settings", Self.form(" 3 ", "2"))
            #expect(saved.status == .seeOther && saved.location == "/admin/settings")
            let settings = try await SiteSettingsQueries.load(on: app.db)
            #expect(settings[.responseWaitHours] == 3 && settings[.firstTopicWaitHours] == 2 && settings[.careTopics] == 5)
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "settings.change").all()
            #expect(events.count == 1)
            #expect(events.first?.actorID == adminMember.id)
            #expect(events.first?.beforeText == "response.wait_hours=12\nresponse.first_topic_wait_hours=6")
            #expect(events.first?.afterText == "response.wait_hours=3\nresponse.first_topic_wait_hours=2")
            #expect(try await admin.get("/admin/audit").text.contains("settings.change"))
            // Saving the same values changes nothing and logs nothing.
            #expect(try await admin.post("/admin/settings", Self.form("3", "2")).status == .seeOther)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "settings.change").count() == 1)

            // The new times are in force: a member's second topic now waits after 3 hours.
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(anna, title: "Eerste")
            let second = try await ForumSteps.startTopic(anna, title: "Tweede")
            clock.advance(by: 2 * S.hour + 60)
            let first = try #require(try await S.queue(admin).first)
            #expect(try await S.queue(admin) == [first])
            clock.advance(by: S.hour)
            #expect(try await S.queue(admin) == [first, second])
            #expect(try await admin.get("/mod/queue").text.contains("na 3 uur nog niemand anders heeft gereageerd (2 uur voor het eerste"))
        }
    }

    @Test("only admins reach the settings: visitors go to log in, members, researchers and moderators are refused")
    func access() async throws {
        try await withConnectApp { app in
            let visitor = TestBrowser(app)
            let get = try await visitor.get("/admin/settings")
            #expect(get.status == .seeOther && get.location?.hasPrefix("/login") == true)
            #expect(try await visitor.post("/admin/settings", Self.form("1", "1")).status == .seeOther)
            for role in [Role.member, .researcher, .moderator] {
                let (browser, _) = try await ForumSteps.loggedIn(app, role: role)
                #expect(try await browser.get("/admin/settings").status == .forbidden, "\(role)")
                #expect(try await browser.post("/admin/settings", Self.form("1", "1")).status == .forbidden, "\(role)")
            }
            #expect(try await SiteSettingsQueries.load(on: app.db) == SiteSettings())
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(try await admin.get("/admin/settings").status == .ok)
            // The header leads to the administration; its pages link to each other.
            #expect(try await admin.get("/").text.contains("href=\"/admin\""))
            #expect(try await admin.get("/admin").text.contains("href=\"/admin/settings\""))
        }
    }

    @Test("the manual's page on looking after yourself is for members, in Dutch and English, and linked from the manual")
    func selfCarePage() async throws {
        try await withConnectApp { app in
            #expect(try await TestBrowser(app).get("/manual/self-care").status == .seeOther)
            let (dutch, _) = try await ForumSteps.loggedIn(app)
            let nl = try await dutch.get("/manual/self-care")
            #expect(nl.status == .ok && nl.text.contains("<h1>Goed voor jezelf zorgen</h1>") && nl.text.contains("href=\"/settings/break\""))
            #expect(try await dutch.get("/manual").text.contains("href=\"/manual/self-care\""))
            let english = TestBrowser(app)
            try await Fixtures.logIn(english, try await Fixtures.member(app, locale: .en))
            let en = try await english.get("/manual/self-care")
            #expect(en.text.contains("<h1>Looking after yourself</h1>") && en.text.contains("113 Zelfmoordpreventie"))
        }
    }

    @Test("the migration reverts cleanly and applies again")
    func migration() async throws {
        try await withConnectApp { app in
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(try await admin.post("/admin/settings", Self.form("10", "5")).status == .seeOther)
            let migration = M024_AddResponseWatch(pagesDirectory: "\(packageRoot)/Resources/Pages", now: { app.connect.clock.now() })
            // One connection throughout: another SQLite connection may still hold the schema
            // from before the revert, and its CREATE TABLE would find the old table.
            try await app.db.withConnection { db in
                try await migration.revert(on: db)
                #expect(try await PageVersions.current(.selfCare, locale: .nl, on: db) == nil)
                await #expect(throws: (any Error).self) { _ = try await SiteSettingsQueries.load(on: db) }
                try await migration.prepare(on: db)
                #expect(try await SiteSettingsQueries.load(on: db) == SiteSettings(), "back to the defaults")
                #expect(try await PageVersions.current(.selfCare, locale: .en, on: db)?.title == "Looking after yourself")
            }
            #expect(try await TestBrowser(app).get("/").status == .ok)
        }
    }

    @Test("CLOCK_OFFSET_FILE moves the clock by the seconds in the file, and is refused in production")
    func clockOffset() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("clock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let config = try AppConfig.fromEnvironment(["CLOCK_OFFSET_FILE": file], environment: "development")
        #expect(config.clockOffsetFile == file)
        #expect(try AppConfig.fromEnvironment([:]).clockOffsetFile == nil)
        for production in [("production", [String: String]()), (nil, ["VAPOR_ENV": "prod"])] {
            do {
                _ = try AppConfig.fromEnvironment(production.1.merging(["CLOCK_OFFSET_FILE": file]) { a, _ in a }, environment: production.0)
                Issue.record("CLOCK_OFFSET_FILE was accepted in production")
            } catch let error as ConfigError {
                #expect(error.variable == "CLOCK_OFFSET_FILE")
                #expect(!error.description.contains(file), "the message names the variable, not its value")
            }
        }
        let clock = FileOffsetClock(path: file)
        #expect(abs(clock.now().timeIntervalSinceNow) < 5, "no file: no offset")
        try "46800\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(abs(clock.now().timeIntervalSinceNow - 46_800) < 5)
        try "not a number".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(abs(clock.now().timeIntervalSinceNow) < 5)
    }
}
