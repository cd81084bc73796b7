import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Care for those who care: a private note after many replies in heavy topics", .serialized)
struct ResponderCareTests {
    typealias S = SafetyNetSteps

    /// Heavy topics by different members (each with a crisis or concern flag), and calm ones.
    static func topics(_ app: Application, heavy: Int, calm: Int = 0) async throws -> (heavy: [Int], calm: [Int]) {
        var result: (heavy: [Int], calm: [Int]) = ([], [])
        for i in 0..<(heavy + calm) {
            let (author, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(author, title: "Onderwerp \(i) \(UUID().uuidString.prefix(4))")
            if i < heavy {
                try await S.flag(app, topic: topic, kind: i.isMultiple(of: 2) ? .crisis : .trigger)
                result.heavy.append(topic)
            } else {
                result.calm.append(topic)
            }
        }
        return result
    }

    static func hasNote(_ browser: TestBrowser) async throws -> Bool {
        try await browser.get("/").text.contains("id=\"care-note\"")
    }

    @Test("the note appears once after replies in 5 heavy topics within 7 days, with a break and the self-care page, and only for that member")
    func appearsOnce() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (cora, _) = try await ForumSteps.loggedIn(app, pseudonym: "Cora")
            let (topics, calm) = try await Self.topics(app, heavy: 6, calm: 3)
            for topic in calm { try await ForumSteps.reply(bram, topic: topic, body: "Sterkte!") }
            // Two replies in one heavy topic count once; Cora replies in the same topics, twice.
            for topic in topics.prefix(4) {
                try await ForumSteps.reply(bram, topic: topic, body: "Ik denk aan je.")
                try await ForumSteps.reply(bram, topic: topic, body: "Nog even dit.")
                clock.advance(by: S.day)
            }
            #expect(try await !Self.hasNote(bram), "four heavy topics are not five")
            try await ForumSteps.reply(bram, topic: topics[4], body: "Je staat er niet alleen voor.")
            let home = try await bram.get("/").text
            #expect(home.contains("id=\"care-note\"") && home.contains("Dank je wel dat je er voor anderen bent"))
            #expect(home.contains("href=\"/settings/break\"") && home.contains("href=\"/manual/self-care\""))
            #expect(home.contains("action=\"/care-note/close\""))
            #expect(try await bram.get("/manual/self-care").text.contains("Goed voor jezelf zorgen"))

            // Nobody else sees it: not Cora, not the authors, not the moderators' pages, not the audit log.
            for topic in topics.prefix(4) { try await ForumSteps.reply(cora, topic: topic, body: "Ik ook.") }
            #expect(try await !Self.hasNote(cora))
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            for path in ["/mod", "/mod/queue", "/mod/members/\(try bramMember.requireID().uuidString)", "/u/Bram"] {
                let page = try await moderator.get(path).text
                #expect(!page.contains("care-note") && !page.contains("Dank je wel dat je er voor anderen bent"), "\(path)")
            }
            #expect(try await admin.get("/admin/audit").status == .ok)
            let audit = try await AuditEvent.query(on: app.db).all()
            #expect(!audit.contains { "\($0.action) \($0.detail) \($0.target ?? "")".lowercased().contains("care") })
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == bramMember.email).count() == 0, "never by email")

            // Closed, it stays closed; another heavy reply this month brings no new note.
            #expect(try await bram.post("/care-note/close", []).location == "/")
            #expect(try await !Self.hasNote(bram))
            try await ForumSteps.reply(bram, topic: topics[5], body: "Ik lees mee.")
            #expect(try await !Self.hasNote(bram))
            let given = try #require(try await Member.find(bramMember.id, on: app.db)?.careNoteAt)

            // A month later, five new heavy topics bring it once more.
            clock.advance(by: 31 * S.day)
            try await Fixtures.logIn(bram, bramMember)  // the session has ended meanwhile
            let (later, _) = try await Self.topics(app, heavy: 5)
            for topic in later.prefix(4) { try await ForumSteps.reply(bram, topic: topic, body: "Sterkte.") }
            #expect(try await !Self.hasNote(bram))
            try await ForumSteps.reply(bram, topic: later[4], body: "Sterkte.")
            #expect(try await Self.hasNote(bram))
            #expect(try await Member.find(bramMember.id, on: app.db)?.careNoteAt ?? given > given)
        }
    }

    @Test("only heavy topics of others within the set days count; the team gets no note; a note waits out a break")
    func whatCounts() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app)
            // Bram's own topic with a flag, and a topic where only Bram's own reply raised one, do not count.
            let own = try await ForumSteps.startTopic(bram, title: "Van mezelf")
            try await S.flag(app, topic: own, kind: .crisis)
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let calm = try await ForumSteps.startTopic(anna, title: "Rustig onderwerp")
            try await ForumSteps.reply(bram, topic: calm, body: "Een antwoord.")
            let reply = try await ForumSteps.post(app, topic: calm, number: 2)
            try await ReviewItem(kind: .trigger, postID: reply.requireID(), memberID: bramMember.requireID(), summary: "test", createdAt: clock.now())
                .create(on: app.db)
            let (topics, _) = try await Self.topics(app, heavy: 4)
            try await ForumSteps.reply(bram, topic: own, body: "Update van mij.")
            try await ForumSteps.reply(bram, topic: calm, body: "Nog een antwoord.")
            for topic in topics.prefix(3) { try await ForumSteps.reply(bram, topic: topic, body: "Sterkte.") }
            #expect(try await !Self.hasNote(bram))
            // Eight days on, the first three fall out of the window.
            clock.advance(by: 8 * S.day)
            let (more, _) = try await Self.topics(app, heavy: 2)
            for topic in [topics[3]] + more { try await ForumSteps.reply(bram, topic: topic, body: "Ik denk aan je.") }
            #expect(try await !Self.hasNote(bram))

            // A moderator answering heavy topics is doing the job: no note.
            let (moderator, moderatorMember) = try await ForumSteps.loggedIn(app, role: .moderator)
            for topic in topics + more { try await ForumSteps.reply(moderator, topic: topic, body: "Ik lees mee, sterkte.") }
            #expect(try await Member.find(moderatorMember.id, on: app.db)?.careNoteAt == nil)

            // During a break the note waits; afterwards it shows.
            let (dirk, _) = try await ForumSteps.loggedIn(app)
            #expect(try await dirk.post("/settings/break", [("length", "day")]).status == .seeOther)
            // A member on a break may still write; the note is given but not shown until the break ends.
            for topic in topics + [more[0]] { try await ForumSteps.reply(dirk, topic: topic, body: "Sterkte.") }
            #expect(try await !Self.hasNote(dirk))
            clock.advance(by: S.day + 60)
            _ = try await dirk.get("/away")
            #expect(try await Self.hasNote(dirk))
            // Two weeks later it has gone by itself.
            clock.advance(by: 15 * S.day)
            #expect(try await !Self.hasNote(dirk))
        }
    }

    @Test("admins set the threshold: 2 heavy topics within 3 days")
    func threshold() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let saved = try await admin.post(
                "/admin/settings",
                [("response_wait_hours", "12"), ("response_first_topic_wait_hours", "6"), ("care_topics", "2"), ("care_days", "3")])
            #expect(saved.status == .seeOther)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let (topics, _) = try await Self.topics(app, heavy: 3)
            try await ForumSteps.reply(bram, topic: topics[0], body: "Sterkte.")
            clock.advance(by: 4 * S.day)
            try await ForumSteps.reply(bram, topic: topics[1], body: "Sterkte.")
            #expect(try await !Self.hasNote(bram), "four days apart is outside three")
            try await ForumSteps.reply(bram, topic: topics[2], body: "Sterkte.")
            #expect(try await Self.hasNote(bram))
        }
    }

    @Test("closing the note needs a member and the form's CSRF token")
    func closing() async throws {
        try await withConnectApp { app in
            let visitor = TestBrowser(app)
            let response = try await visitor.post("/care-note/close", [])
            #expect(response.status == .seeOther && response.location?.hasPrefix("/login") == true)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            #expect(try await bram.post("/care-note/close", [], includeCSRF: false).status == .forbidden)
            #expect(try await bram.post("/care-note/close", []).status == .seeOther)
        }
    }
}
