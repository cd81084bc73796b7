import Fluent
import Foundation
import NIOPosix
import SMTPMail
import SMTPTestSupport
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite("Crisis words alert the moderators at once and never get lost", .serialized)
struct CrisisAlertTests {
    static let crisisText = "Ik zie het niet meer zitten, ik wil er een eind aan maken"

    func delivery(_ app: Application, transport: (any MailTransport)? = nil) -> MailDelivery {
        MailDelivery(
            database: app.db, transport: transport ?? app.connect.mailTransport, clock: app.connect.clock,
            from: (app.connect.config.mailFromName, app.connect.config.mailFromAddress), logger: app.logger)
    }

    func smtpTransport(_ server: SMTPTestServer) throws -> SMTPMailTransport {
        SMTPMailTransport(
            client: SMTPClient(
                settings: try SMTPSettings(url: "smtp://127.0.0.1:\(server.port)?starttls=never"),
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: nil))
    }

    @Test("a crisis post writes post, alert and mails together; the author sees crisis help; the mailbox and the moderator on shift get the mail")
    func alertOnPost() async throws {
        let server = try await SMTPTestServer.start()
        defer { Task { try? await server.shutdown() } }
        try await withConnectApp(adjust: { $0.moderatorAlertEmail = "moderators@example.org" }) { app in
            let (moderator, modMember) = try await ForumSteps.loggedIn(app, role: .moderator)
            try await ModerationSteps.startShift(moderator)
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let response = try await anna.post(
                "/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", Self.crisisText)])
            #expect(response.status == .seeOther)
            #expect(response.location?.hasPrefix("/support?topic=") == true)
            let support = try await anna.get(try #require(response.location))
            #expect(support.text.contains("crisis-help") && support.text.contains("113"))
            #expect(support.text.contains("posted-notice"))

            let alert = try #require(try await Alert.query(on: app.db).first())
            #expect(alert.memberID == annaMember.id && alert.excerpt.contains("eind aan maken"))
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind == .crisis).count() == 1)
            let outbox = try await OutboxMail.query(on: app.db).filter(\.$subject ~~ "Crisismelding").all()
            #expect(Set(outbox.map(\.recipient)) == ["moderators@example.org", modMember.email])
            // The post is published (post-moderation), not held.
            #expect(try await Post.query(on: app.db).first()?.screening == .unscreened)

            #expect(try await delivery(app, transport: try smtpTransport(server)).runOnce() == 2)
            let mail = try #require(server.messages().first { $0.recipients == ["moderators@example.org"] })
            #expect(mail.data.contains(annaMember.pseudonym))
            // The body travels encoded; the outbox keeps the text as written.
            #expect(outbox.allSatisfy { $0.textBody.contains("/mod/members/\(annaMember.id!.uuidString)") && $0.textBody.contains("eind aan maken") })
            // The banner on every moderator page.
            #expect(try await moderator.get("/mod").text.contains("alert-banner"))
        }
    }

    @Test("an SMTP outage delays the alert; it is sent once the mail server is back, and only once by two workers")
    func outage() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock, adjust: { $0.moderatorAlertEmail = "moderators@example.org" }) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", Self.crisisText)])
            // The server "crashed" before sending: the outbox row is there, unsent.
            let down = SMTPMailTransport(
                client: SMTPClient(
                    settings: try SMTPSettings(url: "smtp://127.0.0.1:1?starttls=never"),
                    eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: nil))
            #expect(try await delivery(app, transport: down).runOnce() == 0)
            let waiting = try #require(try await OutboxMail.query(on: app.db).first())
            #expect(waiting.sentAt == nil && waiting.failedAt == nil && waiting.attempts == 1)

            let server = try await SMTPTestServer.start()
            clock.advance(by: MailDelivery.backoff(afterAttempt: 1) + 1)
            let transport = try smtpTransport(server)
            async let first = delivery(app, transport: transport).runOnce()
            async let second = delivery(app, transport: transport).runOnce()
            #expect(try await first + second == 1)
            #expect(server.messages().count == 1)
            clock.advance(by: 3_600)
            #expect(try await delivery(app, transport: transport).runOnce() == 0)
            try await server.shutdown()
        }
    }

    @Test("an alert nobody acknowledges is sent again to the escalation address, once; an acknowledged one is not")
    func escalation() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock, adjust: Fixtures.alertMailboxes) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", Self.crisisText)])
            _ = try await bram.post("/t/new", [("category", "living-with-depression"), ("title", "Ik ook niet"), ("body", "I want to die")])
            let escalation = AlertEscalation(database: app.db, config: app.connect.config, localizer: app.connect.localizer, clock: clock)
            clock.advance(by: 29 * 60)
            try await escalation.runOnce()
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == "escalation@example.org").count() == 0)

            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let bramMember = try #require(try await Topic.query(on: app.db).filter(\.$title == "Ik ook niet").first())
            let bramAlert = try #require(try await Alert.query(on: app.db).filter(\.$memberID == bramMember.authorID).first())
            let id = try bramAlert.requireID().uuidString
            #expect(try await moderator.post("/mod/alerts/\(id)/acknowledge", [("reason", "")]).status == .seeOther)
            #expect(try await Alert.find(bramAlert.id, on: app.db)?.acknowledgedAt == nil)
            #expect(try await moderator.post("/mod/alerts/\(id)/acknowledge", [("reason", "Persoonlijk bericht gestuurd")]).status == .seeOther)
            #expect(try await Alert.find(bramAlert.id, on: app.db)?.acknowledgedAt != nil)

            clock.advance(by: 2 * 60)
            try await escalation.runOnce()
            try await escalation.runOnce()
            let escalated = try await OutboxMail.query(on: app.db).filter(\.$recipient == "escalation@example.org").all()
            #expect(escalated.count == 1)
            #expect(escalated.first?.subject.contains("Nog niet bevestigd") == true)
            let page = try await moderator.get("/mod/alerts").text
            #expect(page.contains("Persoonlijk bericht gestuurd"))
            #expect(page.contains("alerts-median"))
            #expect(try await ModerationSteps.auditActions(app).contains("alert.acknowledge"))
        }
    }
}

@Suite("Held posts, the privacy nudge, blocked words and the rules page", .serialized)
struct SafetyRulesTests {
    @Test("a held post is hidden from members until a moderator releases it; its author sees an honest word")
    func held() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let response = try await bram.post("/t/\(topic)/reply", [("body", "Ik heb pillen gespaard.")])
            #expect(response.location?.contains("/support") == true)
            #expect(try await bram.get(try #require(response.location)).text.contains("held-notice"))
            let post = try await ForumSteps.post(app, topic: topic, number: 2)
            #expect(post.screening == .held)
            #expect(!(try await anna.get("/t/\(topic)").text.contains("pillen gespaard")))
            #expect(try await bram.get("/t/\(topic)").text.contains("pillen gespaard"))
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.post("/mod/posts/\(try post.requireID())/restore", [("reason", "Gesproken, gaat beter")]).status == .seeOther)
            #expect(try await anna.get("/t/\(topic)").text.contains("pillen gespaard"))
        }
    }

    @Test("the privacy nudge keeps the text and asks; publishing anyway flags the post for moderators")
    func privacyNudge() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let nudge = try await anna.post("/t/\(topic)/reply", [("body", "Mijn psychiater Peter de Vries zegt: bel 06-12345678")])
            #expect(nudge.status == .ok)
            #expect(nudge.text.contains("privacy-nudge"))
            #expect(nudge.text.contains("06-12345678"))
            #expect(try await Post.query(on: app.db).count() == 1)
            let published = try await anna.post(
                "/t/\(topic)/reply", [("body", "Mijn psychiater Peter de Vries zegt: bel 06-12345678"), ("privacy_ok", "1")])
            #expect(published.status == .seeOther)
            #expect(try await Post.query(on: app.db).count() == 2)
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .privacy).first())
            #expect(item.summary.contains("phone") && item.summary.contains("caregiver_name"))
        }
    }

    @Test("admins add rules (a block rule refuses the post and keeps the text); moderators view and test; members are kept out")
    func rulesPage() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(try await anna.get("/mod/triggers").status == .forbidden)
            #expect(try await moderator.get("/mod/triggers").text.contains("trigger-rules"))
            let tested = try await moderator.post("/mod/triggers/test", [("text", "Ik zie het niet meer zitten")])
            #expect(tested.text.contains("<mark>"))
            #expect(try await moderator.post("/mod/triggers/test", [("text", "Ik was doodmoe")]).text.contains("test-no-hits"))
            #expect(
                try await moderator.post(
                    "/admin/triggers", [("pattern", "methode xyz*"), ("language", "nl"), ("kind", "crisis"), ("actions[]", "block")]
                ).status == .forbidden)

            let invalid = try await admin.post("/admin/triggers", [("pattern", "x"), ("language", "fr"), ("kind", "crisis")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(
                try await admin.post(
                    "/admin/triggers",
                    [("pattern", "methode xyz*"), ("language", "nl"), ("kind", "crisis"), ("actions[]", "block"), ("actions[]", "help")]
                ).status == .seeOther)
            let blocked = try await anna.post(
                "/t/new", [("category", "living-with-depression"), ("title", "Vraag"), ("body", "Werkt methode xyz echt?")])
            #expect(blocked.status == .unprocessableEntity)
            #expect(blocked.text.contains("Werkt methode xyz echt?"))
            #expect(try await Topic.query(on: app.db).count() == 0)

            let csv = try await admin.get("/admin/triggers/export.csv")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.text.contains("methode xyz*,nl,crisis,help block,"))
            #expect(
                try await admin.post("/admin/triggers/import", [("csv", "pattern,language,kind,actions,note\nnieuwe zin,nl,abuse,flag,test")]).status
                    == .seeOther)
            #expect(try await TriggerRule.query(on: app.db).filter(\.$pattern == "nieuwe zin").first() != nil)
            #expect(
                try await admin.post("/admin/triggers/import", [("csv", "pattern,language,kind,actions\nzin,xx,abuse,flag")]).status
                    == .unprocessableEntity)
        }
    }
}

@Suite("Excerpts keep whole characters")
struct ExcerptTests {
    @Test("an excerpt never cuts a character in half")
    func wholeCharacters() async throws {
        try await withConnectApp { app in
            let engine = TriggerEngine()
            for text in [
                String(repeating: "é", count: 40) + " ik wil dood, echt", "ik wil dood " + String(repeating: "é", count: 40), "Ik wil doooood… ëëë",
            ] {
                let hits = try await engine.scan(text, on: app.db).hits
                #expect(!hits.isEmpty)
                for hit in hits { #expect(!hit.excerpt.contains("\u{FFFD}") && !hit.matched.contains("\u{FFFD}"), "\(hit.excerpt)") }
            }
        }
    }
}

@Suite("Introductions take the publishing path", .serialized)
struct IntroductionSafetyTests {
    @Test("crisis words in an introduction that is not posted still alert the moderators and send the member to help")
    func introductionAlerts() async throws {
        try await withConnectApp(adjust: Fixtures.alertMailboxes) { app in
            let (anna, member) = try await ForumSteps.loggedIn(app)
            let response = try await anna.post("/intro", [("introduction", CrisisAlertTests.crisisText), ("next", "/")])
            #expect(response.location == "/support")
            let alert = try #require(try await Alert.query(on: app.db).first())
            #expect(alert.postID == nil)
            #expect(alert.memberID == member.id)
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == "moderators@example.org").count() == 1)
            #expect(try await Post.query(on: app.db).count() == 0)
            #expect(try await Member.find(member.id, on: app.db)?.introduction == CrisisAlertTests.crisisText)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let alerts = try await moderator.get("/mod/alerts")
            #expect(alerts.status == .ok)
            #expect(alerts.text.contains("een eind aan maken"))
        }
    }
}
