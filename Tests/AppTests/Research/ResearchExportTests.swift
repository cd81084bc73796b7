import Fluent
import Foundation
import SQLKit
import Testing
import TextRules
import VaporTesting
import ZIPFoundation

@testable import App

@Suite("Research: participation figures and the pseudonymised export", .serialized)
struct ResearchExportTests {
    /// Six consenting members who post, reply and react, one who said "not now", and answers.
    struct Community {
        let study: Study
        let researcher: TestBrowser
        let members: [(TestBrowser, Member)]
        let notNow: Member
        let texts: [String]
    }

    static func community(_ app: Application, clock: ManualClock) async throws -> Community {
        let (study, researcher) = try await ResearchSteps.studyWithSchedule(app)
        var members = [(TestBrowser, Member)]()
        for i in 0..<6 { members.append(try await ResearchSteps.consenting(app, emails: i % 2 == 0, pseudonym: "Zwaluw\(i)")) }
        let (notNowBrowser, notNow) = try await ForumSteps.loggedIn(app, pseudonym: "Merel")
        _ = try await notNowBrowser.post(Paths.researchConsent, [("answer", "not_now")])
        var texts = [String]()
        let first = try await ForumSteps.startTopic(members[0].0, title: "Het geheime onderwerp van Zwaluw0", body: "Mijn geheime verhaal nul")
        texts += ["Het geheime onderwerp van Zwaluw0", "Mijn geheime verhaal nul"]
        for i in 1..<6 {
            let body = "Een geheime reactie nummer \(i)"
            _ = try await ForumSteps.reply(members[i].0, topic: first, body: body)
            texts.append(body)
        }
        _ = try await ForumSteps.startTopic(notNowBrowser, title: "Merels onderwerp", body: "Merels eigen woorden")
        try await ResearchSteps.tick(app)
        for (browser, member) in members.prefix(5) {
            let invitation = try await ResearchSteps.invitation(app, of: member, wave: "baseline")
            for section in 1...3 {
                _ = try await browser.post(Paths.questionnaire(id: invitation.requireID()), ResearchSteps.answers(section: section))
            }
        }
        // Past the settling time, the events are folded into the weekly table.
        clock.advance(by: 600)
        try await ResearchSteps.tick(app)
        return Community(study: study, researcher: researcher, members: members, notNow: notNow, texts: texts)
    }

    @Test("events fold into weekly rows with the one rule's style, once, however often the job runs")
    func fold() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let c = try await Self.community(app, clock: clock)
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT member_id, posts, replies_to_others, reads, style FROM participation_weekly").all()
            func style(of member: Member) throws -> String? {
                try rows.first { try $0.decode(column: "member_id", as: UUID.self) == member.id }?.decode(column: "style", as: String.self)
            }
            #expect(try style(of: c.members[0].1) == "posting")
            #expect(try style(of: c.members[1].1) == "responding")
            let before = try await sql.raw("SELECT CAST(SUM(replies_to_others) AS INTEGER) AS n FROM participation_weekly").first()?.decode(
                column: "n", as: Int.self)
            clock.advance(by: 3_600)
            try await ResearchSteps.tick(app)
            try await ResearchSteps.tick(app)
            let after = try await sql.raw("SELECT CAST(SUM(replies_to_others) AS INTEGER) AS n FROM participation_weekly").first()?.decode(
                column: "n", as: Int.self)
            #expect(before == 5 && after == 5)
        }
    }

    @Test("the dashboard shows response and style charts with tables, counts of consenting members only, small cells suppressed")
    func dashboard() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let c = try await Self.community(app, clock: clock)
            let page = try await c.researcher.get(Paths.research(study: c.study.requireID()))
            #expect(page.status == .ok)
            let html = page.text
            for id in ["chart-responses", "chart-styles", "chart-first", "chart-styles-table", "chart-transitions-0"] {
                #expect(html.contains("id=\"\(id)\""), "\(id)")
            }
            #expect(html.contains("<svg") && html.contains("role=\"img\"") && html.contains("&lt; 5"))
            #expect(html.contains("id=\"consenting-count\">6<"))
            for (_, member) in c.members { #expect(!html.contains(member.pseudonym)) }
            // Nobody counts as inactive before they joined: eleven weeks ago nobody was here yet.
            let figures = try await ResearchFigures.compute(study: c.study.requireID(), now: clock.now(), on: app.db)
            #expect(figures.weeks.first?.counts.values.reduce(0, +) == 0 && figures.weeks.last?.counts.values.reduce(0, +) == 6)
            let study = try await c.researcher.get(Paths.researchStudy(id: c.study.requireID())).text
            #expect(study.contains("id=\"waves\"") && study.contains("83 %"))
        }
    }

    @Test("the export identifies nobody: study IDs, no emails, pseudonyms or texts; withdrawn and 'not now' members absent; audited")
    func export() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let c = try await Self.community(app, clock: clock)
            let studyID = try c.study.requireID()
            let response = try await c.researcher.get(Paths.researchExport(study: studyID))
            #expect(response.status == .ok && response.headers.contentType == .zip)
            let zip = try ResearchZip(Data(buffer: response.body))
            #expect(Set(zip.names) == ["README.txt", "participants.csv", "responses.csv", "participation_weekly.csv", "codebook.csv"])
            let everything = try zip.names.map { try zip.text($0) }.joined(separator: "\n")
            Self.expectNoLeak(everything, c)
            let participants = try zip.text("participants.csv").split(separator: "\r\n")
            #expect(participants.count == 7, "a header and six consenting members")
            let ids = StudyIDs(key: try StudyIDs.load(app.connect.config).key)
            let annaID = ids.id(of: try c.members[0].1.requireID(), in: studyID)
            #expect(participants.contains { $0.hasPrefix(annaID + ",") })
            #expect(!everything.contains(ids.id(of: try c.notNow.requireID(), in: studyID)))
            let responses = try zip.text("responses.csv")
            #expect(responses.contains(",baseline,mood-check,1,emp_helps,1;3,"))
            #expect(!responses.contains("com_more") && !responses.contains("com_word"), "free text stays out unless included")
            #expect(try zip.text("participation_weekly.csv").contains(",responding"))
            #expect(try zip.text("codebook.csv").contains("mood_low"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "research.export").all()
            #expect(audit.count == 1 && audit.first?.detail.contains("participants 6") == true)

            // One member withdraws: the next export no longer has them, with all their rows.
            #expect(try await c.members[0].0.post(Paths.researchWithdraw, []).status == .seeOther)
            let second = try ResearchZip(Data(buffer: try await c.researcher.get(Paths.researchExport(study: studyID)).body))
            let again = try second.names.map { try second.text($0) }.joined(separator: "\n")
            #expect(!again.contains(annaID))
            #expect(try second.text("participants.csv").split(separator: "\r\n").count == 6)
            // Stable: the same member has the same study ID in both exports.
            let bramID = ids.id(of: try c.members[1].1.requireID(), in: studyID)
            #expect(everything.contains(bramID) && again.contains(bramID))
        }
    }

    /// The leak check: no email, pseudonym or post text of the seeded members in any file.
    static func expectNoLeak(_ text: String, _ c: Community) {
        for member in c.members.map(\.1) + [c.notNow] {
            #expect(!text.contains(member.email), "an email leaked")
            #expect(!text.contains(member.pseudonym), "a pseudonym leaked")
            #expect(!text.contains(member.id!.uuidString) && !text.contains(member.id!.uuidString.lowercased()), "an account id leaked")
        }
        for words in c.texts + ["Merels eigen woorden", "Mijn geheime verhaal over Utrecht"] {
            #expect(!text.contains(words), "a text leaked: \(words)")
        }
    }
}

/// A research export read back with ZIPFoundation, checking every entry's CRC.
struct ResearchZip {
    let archive: Archive
    init(_ data: Data) throws { archive = try Archive(data: data, accessMode: .read) }
    var names: [String] { archive.map(\.path) }
    func text(_ name: String) throws -> String {
        let entry = try #require(archive[name])
        var out = Data()
        let checksum = try archive.extract(entry) { out.append($0) }
        #expect(checksum == entry.checksum)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A clock that moves on every time it is read, as the real one does.
final class RunningClock: AppClock, @unchecked Sendable {
    private let base: ManualClock
    init(_ base: ManualClock) { self.base = base }
    func now() -> Date {
        base.advance(by: 0.01)
        return base.now()
    }
}

@Suite("Research: the fold catches up with a running clock")
struct ParticipationFoldTests {
    @Test("folding everything stops at the moment it began, however the clock runs on (and on PostgreSQL's microseconds)")
    func catchesUp() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (_, member) = try await ForumSteps.loggedIn(app)
            try await ParticipationEvent(
                memberID: member.requireID(), kind: .readTopic, topicID: nil, postID: nil, otherMemberID: nil,
                createdAt: clock.now().addingTimeInterval(-3 * 86_400)
            ).create(on: app.db)
            let fold = ParticipationFold(database: app.db, clock: RunningClock(clock))
            #expect(try await fold.runOnce(all: true) == 1)
            #expect(try await fold.runOnce(all: true) == 0)
        }
    }
}
