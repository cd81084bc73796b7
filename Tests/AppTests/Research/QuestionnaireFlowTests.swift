import Fluent
import Foundation
import SQLKit
import Testing
import TextRules
import VaporTesting

@testable import App

extension ResearchSteps {
    /// A running study with the demo questionnaire (imported as JSON by a researcher) and the
    /// standard schedule; returns the study and the researcher's browser.
    static func studyWithSchedule(_ app: Application) async throws -> (Study, TestBrowser) {
        let study = try await study(app)
        let (researcher, _) = try await ForumSteps.loggedIn(app, role: .researcher)
        let json = try String(contentsOfFile: "\(app.connect.config.resourcesDirectory)/Research/mood-check.json", encoding: .utf8)
        let id = try study.requireID()
        let imported = try await researcher.post(Paths.researchImport(study: id), [("json", json)])
        guard imported.status == .seeOther else { throw FixtureError("import failed: \(imported.status) \(imported.text.prefix(400))") }
        let schedule = try await researcher.post(Paths.researchWaves(study: id), [("use", "standard:mood-check")])
        guard schedule.status == .seeOther else { throw FixtureError("schedule failed: \(schedule.status) \(schedule.text.prefix(400))") }
        return (study, researcher)
    }

    static func job(_ app: Application) -> ResearchJob {
        ResearchJob(
            database: app.db, clock: app.connect.clock, localizer: app.connect.localizer, publicURL: app.connect.config.publicURL,
            defaultLocale: app.connect.config.defaultLocale)
    }

    @discardableResult
    static func tick(_ app: Application) async throws -> ResearchJob.Report {
        try await job(app).runOnce(catchUp: true)
    }

    static func consenting(_ app: Application, emails: Bool, pseudonym: String? = nil) async throws -> (TestBrowser, Member) {
        let (browser, member) = try await ForumSteps.loggedIn(app, pseudonym: pseudonym)
        var fields = [("answer", "yes"), ("letter_version", "1")]
        if emails { fields.append(("emails", "on")) }
        guard try await browser.post(Paths.researchConsent, fields).status == .seeOther else { throw FixtureError("consent failed") }
        return (browser, member)
    }

    static func invitations(_ app: Application, of member: Member) async throws -> [(ResearchInvitation, StudyWave)] {
        let all = try await ResearchInvitation.query(on: app.db).filter(\.$memberID == member.requireID()).all()
        let waves = try await StudyWave.query(on: app.db).all()
        return all.compactMap { i in waves.first { $0.id == i.waveID }.map { (i, $0) } }.sorted { $0.1.position < $1.1.position }
    }

    static func invitation(_ app: Application, of member: Member, wave code: String) async throws -> ResearchInvitation {
        try #require(try await invitations(app, of: member).first { $0.1.code == code }?.0)
    }

    /// A section's answers as form fields: every item of the demo questionnaire's sections.
    static func answers(section: Int, safety: Int = 0) -> [(String, String)] {
        switch section {
        case 1:
            [
                ("section", "1"), ("answer-mood_low", "1"), ("answer-mood_interest", "2"), ("answer-mood_sleep", "7"),
                ("answer-mood_safety", String(safety)),
            ]
        case 2:
            [
                ("section", "2"), ("answer-emp_understand", "4"), ("answer-emp_choices", "3"), ("answer-emp_others", "5"),
                ("answer-emp_helps-1", "on"), ("answer-emp_helps-3", "on"),
            ]
        default:
            [("section", "3"), ("answer-com_visits", "3"), ("answer-com_word", "warm"), ("answer-com_more", "Mijn geheime verhaal over Utrecht")]
        }
    }
}

@Suite("Research: waves, invitations and answering", .serialized)
struct QuestionnaireFlowTests {
    @Test(
        "waves open on time, in the app at once and by email only with research-email consent, each once, one reminder, nothing after the window or after withdrawal"
    )
    func schedule() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            _ = try await ResearchSteps.studyWithSchedule(app)
            let (anna, annaMember) = try await ResearchSteps.consenting(app, emails: true)
            let (bram, bramMember) = try await ResearchSteps.consenting(app, emails: false)
            #expect(try await ResearchSteps.invitations(app, of: annaMember).count == 4, "every wave is planned at consent")
            var report = try await ResearchSteps.tick(app)
            #expect(report.opened == 2 && report.emailed == 1)
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == annaMember.email).count() == 1)
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == bramMember.email).count() == 0)
            #expect(try await anna.get("/").text.contains("questionnaires-waiting"))
            let notification = try #require(
                try await Notification.query(on: app.db).filter(\.$memberID == bramMember.requireID()).filter(\.$kind == .research).first())
            #expect(try await bram.get(Paths.notificationOpen(id: notification.requireID())).location == Paths.researchQuestionnaires)
            // The next round finds nothing new: each invitation goes out once.
            report = try await ResearchSteps.tick(app)
            #expect(report.opened == 0 && report.emailed == 0)

            // Three days on, in the member's zone on the calendar: the 3-day wave.
            clock.advance(by: 3 * 86_400 + 60)
            report = try await ResearchSteps.tick(app)
            #expect(report.opened == 2)
            // A week after opening, one reminder per open wave; never a second one.
            clock.advance(by: 7 * 86_400)
            report = try await ResearchSteps.tick(app)
            #expect(report.reminded == 4 && report.emailed == 2)
            #expect(try await ResearchSteps.tick(app).reminded == 0)
            // After the window nothing more, and the questionnaire says it closed.
            clock.advance(by: 14 * 86_400)
            let baseline = try await ResearchSteps.invitation(app, of: annaMember, wave: "baseline")
            #expect(try await anna.get(Paths.questionnaire(id: baseline.requireID())).text.contains("questionnaire-closed"))
            let quiet = try await ResearchSteps.tick(app)
            #expect(quiet.opened == 0 && quiet.reminded == 0 && quiet.emailed == 0)

            // Bram stops taking part: the 3-month wave reaches Anna only.
            #expect(try await bram.post(Paths.researchWithdraw, []).status == .seeOther)
            clock.advance(by: 80 * 86_400)
            report = try await ResearchSteps.tick(app)
            #expect(report.opened == 1)
            let month3 = try await ResearchSteps.invitation(app, of: annaMember, wave: "month3")
            #expect(month3.openedAt != nil)
            #expect(try await ResearchSteps.invitation(app, of: bramMember, wave: "month3").openedAt == nil)
        }
    }

    @Test("nothing opens during quiet hours or a break; it comes when they end, while the window is open")
    func quietAndBreak() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            _ = try await ResearchSteps.studyWithSchedule(app)
            let (_, carla) = try await ResearchSteps.consenting(app, emails: true)
            let prefs = NotificationPreferences(memberID: try carla.requireID())
            let minute = LocalTime(clock.now(), carla.zone).minute
            prefs.quietEnabled = true
            prefs.quietStart = (minute + 1_440 - 30) % 1_440
            prefs.quietEnd = (minute + 90) % 1_440
            try await prefs.save(on: app.db)
            #expect(try await ResearchSteps.tick(app).opened == 0)
            clock.advance(by: 2 * 3_600)
            try await Member.query(on: app.db).filter(\.$id == carla.requireID()).set(\.$breakUntil, to: clock.now().addingTimeInterval(86_400))
                .update()
            #expect(try await ResearchSteps.tick(app).opened == 0)
            clock.advance(by: 86_400 + 60)
            #expect(try await ResearchSteps.tick(app).opened == 1)
        }
    }

    @Test("two servers running the job at once send each invitation once")
    func claimedOnce() async throws {
        try await withConnectApp { app in
            _ = try await ResearchSteps.studyWithSchedule(app)
            for _ in 0..<6 { _ = try await ResearchSteps.consenting(app, emails: true) }
            async let first = ResearchSteps.tick(app)
            async let second = ResearchSteps.tick(app)
            let (a, b) = try await (first, second)
            #expect(a.opened + b.opened == 6 && a.emailed + b.emailed == 6)
            #expect(try await OutboxMail.query(on: app.db).count() >= 6)
            let notifications = try await Notification.query(on: app.db).filter(\.$kind == .research).count()
            #expect(notifications == 6)
        }
    }

    @Test("a member answers a section at a time, leaves, resumes and finishes; wrong answers come back with what was typed; the version freezes")
    func answering() async throws {
        try await withConnectApp { app in
            _ = try await ResearchSteps.studyWithSchedule(app)
            let (anna, annaMember) = try await ResearchSteps.consenting(app, emails: false)
            try await ResearchSteps.tick(app)
            let invitation = try await ResearchSteps.invitation(app, of: annaMember, wave: "baseline")
            let path = Paths.questionnaire(id: try invitation.requireID())
            let list = try await anna.get(Paths.researchQuestionnaires)
            #expect(list.status == .ok && list.text.contains(path))
            let first = try await anna.get(path)
            #expect(first.status == .ok && first.text.contains("Section 1 of 3") || first.text.contains("Deel 1 van 3"))

            // A missing required answer: shown again with what was typed, nothing kept.
            let wrong = try await anna.post(path, [("section", "1"), ("answer-mood_low", "1"), ("answer-mood_sleep", "77")])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("form-errors") && wrong.text.contains("value=\"77\""))
            #expect(try await QuestionnaireAnswer.query(on: app.db).count() == 0)

            let saved = try await anna.post(path, ResearchSteps.answers(section: 1))
            #expect(saved.location == Paths.questionnaire(id: try invitation.requireID(), section: 1))
            // "Save and stop for now", then coming back resumes at section 3.
            let later = try await anna.post(path, ResearchSteps.answers(section: 2) + [("go", "later")])
            #expect(later.location == Paths.researchQuestionnaires)
            let resumed = try await anna.get(path).text
            #expect(resumed.contains("answer-com_visits") && !resumed.contains("answer-mood_low"))
            // An earlier section shows what was chosen.
            let back = try await anna.get(Paths.questionnaire(id: try invitation.requireID(), section: 1)).text
            #expect(back.contains("id=\"answer-emp_helps-3\" name=\"answer-emp_helps-3\" value=\"on\" checked"))

            // The session expires while typing the last section: the answers are kept.
            anna.forgetCookie(SessionAuthenticator.cookieName)
            let expired = try await anna.post(path, ResearchSteps.answers(section: 3))
            #expect(expired.location?.hasPrefix("/login") == true)
            try await Fixtures.logIn(anna, annaMember)
            let rescued = try await anna.get(path).text
            #expect(rescued.contains("Mijn geheime verhaal over Utrecht"))

            let done = try await anna.post(path, ResearchSteps.answers(section: 3))
            #expect(done.location == path)
            #expect(try await anna.get(path).text.contains("questionnaire-thanks"))
            let stored = try #require(try await ResearchInvitation.find(invitation.requireID(), on: app.db))
            #expect(stored.completedAt != nil)
            let answers = try await QuestionnaireQueries.answers(of: invitation.requireID(), on: app.db)
            #expect(answers["emp_helps"] == "1;3" && answers["mood_sleep"] == "7" && answers.count == 11)
            let questionnaire = try #require(try await Questionnaire.find(stored.questionnaireID, on: app.db))
            #expect(questionnaire.frozenAt != nil)
            // The member's own data export holds their consent and every answer, their words too.
            let own = try #require(try await ExportContents.gather(memberID: annaMember.requireID(), on: app.db) { _ in })
            #expect(own.research.consents.first?.answer == "yes" && own.research.answers.count == 11)
            #expect(own.research.answers.contains { $0.value == "Mijn geheime verhaal over Utrecht" })
            // A finished questionnaire takes no more answers.
            #expect(try await anna.post(path, ResearchSteps.answers(section: 1)).location == path)
        }
    }

    @Test("a safety answer shows the crisis help and the member's plan at once and asks a moderator to look in, naming only the member")
    func safetyItem() async throws {
        try await withConnectApp { app in
            _ = try await ResearchSteps.studyWithSchedule(app)
            let (anna, annaMember) = try await ResearchSteps.consenting(app, emails: false)
            try await ResearchSteps.tick(app)
            let invitation = try await ResearchSteps.invitation(app, of: annaMember, wave: "baseline")
            let path = Paths.questionnaire(id: try invitation.requireID())
            let answered = try await anna.post(path, ResearchSteps.answers(section: 1, safety: 2))
            #expect(answered.location == Paths.support(questionnaire: try invitation.requireID()))
            let support = try await anna.get(answered.location ?? "").text
            #expect(support.contains("crisis-help") && support.contains("back-to-questionnaire"))
            let items = try await ReviewItem.query(on: app.db).filter(\.$kind == .crisis).all()
            #expect(items.count == 1 && items.first?.memberID == annaMember.id && items.first?.summary == ReviewItem.questionnaireSummary)
            // Saving the section again adds nothing while the first item is open.
            _ = try await anna.post(path, ResearchSteps.answers(section: 1, safety: 3))
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind == .crisis).count() == 1)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let queue = try await moderator.get("/mod/queue").text
            #expect(queue.contains(annaMember.pseudonym) && !queue.contains("mood_safety"))

            // Crisis words in a free-text answer are met the same way, without their words in the queue.
            let (bram, bramMember) = try await ResearchSteps.consenting(app, emails: false)
            try await ResearchSteps.tick(app)
            let bramsInvitation = try await ResearchSteps.invitation(app, of: bramMember, wave: "baseline")
            let bramsPath = Paths.questionnaire(id: try bramsInvitation.requireID())
            for section in 1...2 { _ = try await bram.post(bramsPath, ResearchSteps.answers(section: section)) }
            let words = try await bram.post(
                bramsPath, [("section", "3"), ("answer-com_visits", "2"), ("answer-com_more", "Soms denk ik: ik wil dood")])
            #expect(words.location?.hasPrefix("/support?questionnaire=") == true)
            let bramsItem = try await ReviewItem.query(on: app.db).filter(\.$memberID == bramMember.requireID()).filter(\.$kind == .crisis).all()
            let queueAfter = try await moderator.get("/mod/queue").text
            #expect(bramsItem.count == 1 && !queueAfter.contains("ik wil dood"))
        }
    }

    @Test("ids cannot be guessed into another member's questionnaire; members reach no research page; researchers reach no member page")
    func permissions() async throws {
        try await withConnectApp { app in
            let (study, researcher) = try await ResearchSteps.studyWithSchedule(app)
            let (_, annaMember) = try await ResearchSteps.consenting(app, emails: false)
            let (bram, _) = try await ResearchSteps.consenting(app, emails: false)
            try await ResearchSteps.tick(app)
            let invitation = try await ResearchSteps.invitation(app, of: annaMember, wave: "baseline")
            let path = Paths.questionnaire(id: try invitation.requireID())
            #expect(try await bram.get(path).status == .notFound)
            #expect(try await bram.post(path, ResearchSteps.answers(section: 1)).status == .notFound)
            #expect(try await bram.get(Paths.support(questionnaire: try invitation.requireID())).text.contains("back-to-questionnaire") == false)
            let questionnaire = try #require(try await Questionnaire.query(on: app.db).first())
            let studyID = try study.requireID()
            for route in [
                "/research", Paths.researchStudies, Paths.researchStudy(id: studyID), Paths.researchExport(study: studyID),
                Paths.researchQuestionnaire(id: try questionnaire.requireID()), Paths.researchQuestionnaireJSON(id: try questionnaire.requireID()),
            ] {
                #expect(try await bram.get(route).status == .forbidden, "\(route)")
                #expect(try await TestBrowser(app).get(route).location?.hasPrefix("/login") == true, "\(route)")
                #expect(try await researcher.get(route).status == .ok, "\(route)")
            }
            #expect(try await bram.post(Paths.researchWaves(study: studyID), [("use", "standard:mood-check")]).status == .forbidden)
            // A researcher sees research pages only: no topic, profile, message, blog or moderation page.
            let topic = try await ForumSteps.startTopic(bram, title: "Een onderwerp", body: "Mijn woorden")
            for route in [
                "/t/\(topic)", "/u/\(annaMember.pseudonym)", "/messages", "/blogs", "/news", "/search?q=woorden", "/mod/queue", "/admin",
                "/questionnaires", path,
            ] {
                #expect(try await researcher.get(route).status == .forbidden, "\(route)")
            }
            #expect(try await researcher.get("/").location == Paths.research)
            #expect(try await researcher.get("/settings").status == .ok)
        }
    }
}
