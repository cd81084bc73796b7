import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import App

@Suite("Data rights: export and leaving", .serialized)
struct DataRightsTests {
    @Test("CRC-32 matches the standard check value, and the archive lists its files")
    func zipFormat() throws {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        var zip = ZipArchive(date: Date(timeIntervalSince1970: 1_790_000_000))
        zip.add("a.json", Data("{}".utf8))
        zip.add("map/b.txt", Data("hallo".utf8))
        let data = zip.finish()
        #expect(data.prefix(4) == Data([0x50, 0x4b, 0x03, 0x04]))
        // End of central directory: two entries.
        let end = data.suffix(22)
        #expect(end.prefix(4) == Data([0x50, 0x4b, 0x05, 0x06]))
        #expect(end[end.startIndex + 10] == 2)
    }

    @Test("a member asks for an export; the job builds it with progress; the ZIP holds posts and consents; only the owner downloads it, until it expires")
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
            let bytes = Data(buffer: download.body)
            let text = String(decoding: bytes, as: UTF8.self)
            for file in ["profile.json", "posts.json", "consents.json", "reactions.json", "moderation.json", "index.html"] {
                #expect(text.contains(file))
            }
            #expect(text.contains("Een bericht met <tekens> & zo"))
            #expect(text.contains("\"page\" : \"terms\""))
            #expect(text.contains("Een bericht met &lt;tekens&gt; &amp; zo"))
            #expect(text.contains(member.email))
            _ = topicID

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
            let sent = try await MailDelivery(database: app.db, transport: app.connect.mailTransport, clock: clock,
                                              from: ("C", "c@example.org"), logger: app.logger).runOnce()
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
            let row = try #require(try await sql.raw("SELECT email, real_name, introduction, pseudonym, erased_at FROM members WHERE id = \(bind: member.id!)").first())
            #expect(try row.decode(column: "email", as: String.self) != "vertrek@example.org")
            #expect(try row.decode(column: "real_name", as: String?.self) == nil)
            #expect(try row.decode(column: "introduction", as: String?.self) == nil)
            #expect(try row.decode(column: "pseudonym", as: String.self) != "Roerdomp")
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM members WHERE email = 'vertrek@example.org' OR real_name = 'Jan Jansen'").first()?.decode(column: "n", as: Int.self) == 0)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM safety_plans WHERE member_id = \(bind: member.id!)").first()?.decode(column: "n", as: Int.self) == 0)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM outbox_mails WHERE recipient = 'vertrek@example.org'").first()?.decode(column: "n", as: Int.self) == 0)
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
