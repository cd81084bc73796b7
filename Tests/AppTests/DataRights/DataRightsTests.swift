import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
import ZIPFoundation

@testable import App

@Suite("Data rights: export and leaving", .serialized)
struct DataRightsTests {
    @Test("the archive is a standard ZIP: each part a deflated entry whose CRC checks, dated when it was made")
    func zipFormat() throws {
        let made = Date(timeIntervalSince1970: 1_790_000_000)
        let contents = ExportContents(
            profile: .init(
                pseudonym: "Roerdomp", email: "r@example.org", realName: nil, introduction: nil, role: "member",
                memberSince: made, twoFactorEnabled: false),
            settings: .init(language: "nl", timeZone: "Europe/Amsterdam"),
            safetyPlan: .init(warningSigns: "Slecht slapen", whatHelps: "Muziek", people: "", professionals: ""))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zip-format-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("export.zip")
        try contents.writeArchive(to: file, now: made, localizer: Localizer(tables: [:]), locale: .nl)

        let data = try Data(contentsOf: file)
        #expect(data.prefix(4) == Data([0x50, 0x4b, 0x03, 0x04]))
        // End of central directory: ten entries.
        let end = data.suffix(22)
        #expect(end.prefix(4) == Data([0x50, 0x4b, 0x05, 0x06]))
        #expect(end[end.startIndex + 10] == 10)
        let files = try ExportZip(data)
        #expect(
            files.names == [
                "profile.json", "settings.json", "posts.json", "reactions.json", "consents.json", "moderation.json",
                "reports.json", "messages.json", "safety-plan.json", "index.html",
            ])
        for entry in files.archive {
            #expect(entry.isCompressed && entry.checksum != 0)
            #expect(entry.fileAttributes[.modificationDate] as? Date == made)
        }
        #expect(try files.json("safety-plan.json")["whatHelps"] as? String == "Muziek")
    }

    @Test(
        "a member asks for an export; the job builds it with progress; the ZIP holds posts and consents; only the owner downloads it, until it expires"
    )
    func export() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (browser, member) = try await ForumSteps.loggedIn(app)
            try await PolicyAcceptance(memberID: member.requireID(), pageSlug: "terms", pageVersion: 1, acceptedAt: clock.now()).create(on: app.db)
            let topicID = try await ForumSteps.startTopic(browser, title: "Mijn eerste onderwerp", body: "Een bericht met <tekens> & zo")

            #expect(try await browser.post("/settings/export", []).status == .seeOther)
            #expect(try await browser.post("/settings/export", []).status == .seeOther)  // no second one while waiting
            #expect(try await DataExport.query(on: app.db).count() == 1)
            #expect(try await browser.get("/settings/export").text.contains("<progress"))

            let job = DataExportJob(database: app.db, clock: clock, localizer: app.connect.localizer)
            #expect(try await job.runOnce())
            #expect(try await job.runOnce() == false)
            let export = try #require(try await DataExport.query(on: app.db).first())
            #expect(export.status == .ready && export.progress == 100)

            let page = try await browser.get("/settings/export")
            #expect(page.text.contains("/settings/export/\(export.id!.uuidString)/download"))
            let download = try await browser.get("/settings/export/\(export.id!.uuidString)/download")
            #expect(download.status == .ok)
            #expect(download.headers.contentType?.subType == "zip")
            let zip = try ExportZip(Data(buffer: download.body))
            // Every part, and nothing else (no safety plan was written); each JSON file parses.
            #expect(zip.names == ExportZip.expected)
            #expect(try zip.json("profile.json")["email"] as? String == member.email)
            #expect(try zip.json("settings.json")["timeZone"] is String)
            // The member's notification choices and picture travel along (defaults here: no quiet hours set).
            let settings = try zip.json("settings.json")
            #expect((settings["email"] as? [String: String])?["replies"] != nil && settings["dailyEmailBudget"] as? Int == 5)
            #expect(settings["avatar"] as? String == "auto")
            let posts = try #require(try zip.jsonArray("posts.json"))
            #expect(posts.contains { $0["markdown"] as? String == "Een bericht met <tekens> & zo" && $0["topicID"] as? Int == topicID })
            #expect(try zip.jsonArray("consents.json").map { $0["page"] as? String } == ["terms"])
            #expect(try zip.text("consents.json").contains("\"page\" : \"terms\""))
            for empty in ["reactions.json", "moderation.json", "reports.json"] { #expect(try zip.jsonArray(empty).isEmpty) }
            #expect(try zip.text("index.html").contains("Een bericht met &lt;tekens&gt; &amp; zo"))
            #expect(try zip.text("index.html").contains(member.email))

            // Someone else cannot fetch it; a visitor is sent to log in.
            let (other, _) = try await ForumSteps.loggedIn(app)
            #expect(try await other.get("/settings/export/\(export.id!.uuidString)/download").status == .notFound)
            #expect(try await TestBrowser(app).get("/settings/export/\(export.id!.uuidString)/download").status == .seeOther)

            // After two days the link has expired, and the archive is pruned.
            clock.advance(by: 49 * 3_600)
            let expired = try await browser.get("/settings/export/\(export.id!.uuidString)/download")
            #expect(expired.status == .seeOther)
            try await job.prune()
            #expect(try await DataExport.query(on: app.db).count() == 0)
        }
    }

    @Test("leaving with 'keep posts': closed at once, restorable for 7 days; afterwards erased, posts under 'former member'")
    func leaveKeepingPosts() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let member = try await Fixtures.member(app, email: "vertrek@example.org", pseudonym: "Roerdomp")
            member.realName = "Jan Jansen"
            member.introduction = "Ik ben Jan"
            member.introPromptedAt = clock.now()
            try await member.save(on: app.db)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            let topicID = try await ForumSteps.startTopic(browser, title: "Over mijn week", body: "Deze week was zwaar maar ik ben er nog")
            _ = try await browser.post("/settings/safety-plan", [("what_helps", "Muziek")])

            // Bad inputs: no choice, wrong password.
            let noChoice = try await browser.post("/settings/leave", [("password", goodPassword)])
            #expect(noChoice.status == .unprocessableEntity)
            let wrong = try await browser.post("/settings/leave", [("choice", "keep_posts"), ("password", "fout")])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("checked"))
            #expect(try await Member.find(member.id, on: app.db)?.closedAt == nil)

            let left = try await browser.post("/settings/leave", [("choice", "keep_posts"), ("password", goodPassword)])
            #expect(left.status == .ok && left.text.contains("left-title"))
            // Closed at once: session gone, profile hidden, name shown as former member, no mail.
            #expect(try await browser.get("/").text.contains("/login"))
            let (reader, _) = try await ForumSteps.loggedIn(app)
            #expect(try await reader.get("/u/roerdomp").status == .notFound)
            let topic = try await reader.get("/t/\(topicID)")
            #expect(topic.text.contains("voormalig lid") && !topic.text.contains("Roerdomp"))
            #expect(topic.text.contains("Deze week was zwaar"))
            try await Outbox.enqueue(ComposedMail(subject: "x", text: "x", html: nil), to: member.email, on: app.db, now: clock.now())
            let sent = try await MailDelivery(
                database: app.db, transport: app.connect.mailTransport, clock: clock,
                from: ("C", "c@example.org"), logger: app.logger
            ).runOnce()
            #expect(sent == 0)
            let dropped = try #require(try await Fixtures.lastMail(app, to: member.email))
            #expect(dropped.sentAt == nil && dropped.failedAt != nil)

            // Within seven days, logging in restores everything.
            clock.advance(by: 3 * 86_400)
            let back = TestBrowser(app)
            let login = try await back.post("/login", [("email", "vertrek@example.org"), ("password", goodPassword), ("next", "/")])
            #expect(login.status == .seeOther)
            #expect(try await Member.find(member.id, on: app.db)?.closedAt == nil)
            #expect(try await reader.get("/u/roerdomp").status == .ok)

            // Leave again; after the grace period the erasure job wipes the personal data.
            #expect(try await back.post("/settings/leave", [("choice", "keep_posts"), ("password", goodPassword)]).status == .ok)
            clock.advance(by: 6 * 86_400)
            #expect(try await AccountErasure(database: app.db, clock: clock).run() == 0)
            clock.advance(by: 86_400 + 1)
            #expect(try await AccountErasure(database: app.db, clock: clock).run() == 1)

            let sql = app.db as! any SQLDatabase
            let row = try #require(
                try await sql.raw("SELECT email, real_name, introduction, pseudonym, erased_at FROM members WHERE id = \(bind: member.id!)").first())
            #expect(try row.decode(column: "email", as: String.self) != "vertrek@example.org")
            #expect(try row.decode(column: "real_name", as: String?.self) == nil)
            #expect(try row.decode(column: "introduction", as: String?.self) == nil)
            #expect(try row.decode(column: "pseudonym", as: String.self) != "Roerdomp")
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM members WHERE email = 'vertrek@example.org' OR real_name = 'Jan Jansen'").first()?
                    .decode(column: "n", as: Int.self) == 0)
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM safety_plans WHERE member_id = \(bind: member.id!)").first()?.decode(
                    column: "n", as: Int.self) == 0)
            #expect(
                try await sql.raw("SELECT COUNT(*) AS n FROM outbox_mails WHERE recipient = 'vertrek@example.org'").first()?.decode(
                    column: "n", as: Int.self) == 0)
            // The audit log refers to the member by internal id only.
            let audit = try await AuditEvent.query(on: app.db).filter(\.$subjectMemberID == member.id!).all()
            #expect(audit.contains { $0.action == "member.erase" })
            #expect(!audit.contains { ($0.detail + ($0.beforeText ?? "") + ($0.afterText ?? "")).contains("vertrek@example.org") })

            // The posts stay readable under "former member"; logging in no longer works.
            let after = try await reader.get("/t/\(topicID)")
            #expect(after.text.contains("voormalig lid") && after.text.contains("Deze week was zwaar"))
            let again = try await TestBrowser(app).post("/login", [("email", "vertrek@example.org"), ("password", goodPassword), ("next", "/")])
            #expect(again.status == .unprocessableEntity || again.status == .ok)
        }
    }

    @Test("leaving with 'remove text': the text disappears at once for readers and is erased after the grace period")
    func leaveRemovingText() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (browser, member) = try await ForumSteps.loggedIn(app)
            let (reader, _) = try await ForumSteps.loggedIn(app)
            let topicID = try await ForumSteps.startTopic(reader)
            try await ForumSteps.reply(browser, topic: topicID, body: "Een heel persoonlijk verhaal over vroeger")
            #expect(try await browser.post("/settings/leave", [("choice", "remove_text"), ("password", goodPassword)]).status == .ok)
            let page = try await reader.get("/t/\(topicID)")
            #expect(!page.text.contains("persoonlijk verhaal"))
            #expect(page.text.contains("voormalig lid"))
            #expect(!(try await reader.get("/search?q=persoonlijk")).text.contains("persoonlijk verhaal"))
            clock.advance(by: 7 * 86_400 + 1)
            try await AccountErasure(database: app.db, clock: clock).run()
            let post = try await ForumSteps.post(app, topic: topicID, number: 2)
            #expect(post.bodyMarkdown.isEmpty && post.bodyHTML.isEmpty)
            #expect(try await PostRevision.query(on: app.db).filter(\.$postID == post.id!).count() == 0)
            _ = member
        }
    }
}

/// A downloaded export read back with ZIPFoundation: every entry's CRC is checked as it is read.
private struct ExportZip {
    /// The files every export holds (the safety plan only when there is one).
    static let expected = [
        "profile.json", "settings.json", "posts.json", "reactions.json", "consents.json", "moderation.json",
        "reports.json", "messages.json", "index.html",
    ]
    let archive: Archive

    init(_ data: Data) throws { archive = try Archive(data: data, accessMode: .read) }

    var names: [String] { archive.map(\.path) }

    func data(_ name: String) throws -> Data {
        let entry = try #require(archive[name])
        var out = Data()
        let checksum = try archive.extract(entry) { out.append($0) }
        #expect(checksum == entry.checksum, "\(name) fails its CRC check")
        return out
    }

    func text(_ name: String) throws -> String { String(decoding: try data(name), as: UTF8.self) }

    func json(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data(name)) as? [String: Any])
    }

    func jsonArray(_ name: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: data(name)) as? [[String: Any]])
    }
}
