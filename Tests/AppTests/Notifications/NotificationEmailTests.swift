import Fluent
import Foundation
import SMTPMail
import SQLKit
import Testing
import VaporTesting

@testable import App

@Suite("Notification email: quiet hours, budget, digests, breaks, unsubscribe", .serialized)
struct NotificationEmailTests {
    @Test("a reply at 23:00 to a member with quiet hours 22:00–08:00 yields one email at 08:00")
    func quietHours() async throws {
        let clock = ManualClock(NotificationSteps.lateEvening)
        try await withConnectApp(clock: clock) { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            try await NotificationSteps.prefs(app, bramMember) {
                $0.emailReplies = .immediately
                $0.quietEnabled = true
                $0.quietStart = 22 * 60
                $0.quietEnd = 8 * 60
            }
            let topicID = try await ForumSteps.startTopic(bram)
            try await ForumSteps.reply(anna, topic: topicID, body: "Ik lees met je mee.")
            let mailer = NotificationSteps.mailer(app)
            #expect(try await mailer.runOnce() == 0)
            clock.advance(by: 4 * 3_600)  // 03:00
            #expect(try await mailer.runOnce() == 0)
            clock.advance(by: 5 * 3_600 - 1)  // 07:59:59
            #expect(try await mailer.runOnce() == 0)
            #expect(try await NotificationSteps.mails(app, to: bramMember).isEmpty)
            clock.advance(by: 1)  // 08:00
            #expect(try await mailer.runOnce() == 1)
            #expect(try await mailer.runOnce() == 0)
            let mails = try await NotificationSteps.mails(app, to: bramMember)
            #expect(mails.count == 1)
            #expect(mails.first?.subject.contains("Anna") == true)
            #expect(mails.first?.unsubscribeURL?.hasPrefix("http://connect.test/unsubscribe/") == true)
        }
    }

    @Test("the sixth email of a day goes into the digest, which arrives the next morning; crisis alerts are not counted")
    func dailyBudget() async throws {
        // 2026-11-30 10:00 in Amsterdam.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_029_200))
        try await withConnectApp(clock: clock) { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            try await NotificationSteps.prefs(app, bramMember) { $0.emailReplies = .immediately }
            let topicID = try await ForumSteps.startTopic(bram)
            let mailer = NotificationSteps.mailer(app)
            for i in 1...6 {
                try await ForumSteps.reply(anna, topic: topicID, body: "Reactie nummer \(i)")
                try await mailer.runOnce()
                clock.advance(by: 60)
            }
            #expect(try await NotificationSteps.mails(app, to: bramMember).count == 5)
            let waiting = try await NotificationSteps.notifications(app, of: bramMember).filter { $0.emailState == .daily }
            #expect(waiting.count == 1)

            // The digest waits for 08:00 the next day, then carries the sixth; it goes once.
            let digest = NotificationSteps.digest(app)
            #expect(try await digest.run().digestsSent == 0)
            clock.advance(by: 22 * 3_600)  // next day, about 08:06
            #expect(try await digest.run().digestsSent == 1)
            #expect(try await digest.run().digestsSent == 0)
            let mails = try await NotificationSteps.mails(app, to: bramMember)
            #expect(mails.count == 6)
            #expect(mails.last?.textBody.contains("Anna reageerde") == true)
            #expect(mails.last?.subject.contains("dagoverzicht") == true)
            // A new day, a new budget.
            try await ForumSteps.reply(anna, topic: topicID, body: "Goedemorgen")
            #expect(try await mailer.runOnce() == 1)
        }
    }

    @Test("digests: calm defaults, what concerns the member first, 'nothing needs you now' when nothing does, never empty")
    func digests() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_029_200))
        try await withConnectApp(clock: clock) { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (anna, annaMember) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let topicID = try await ForumSteps.startTopic(bram)
            _ = try await anna.post("/t/\(topicID)/watch", [("level", "watching")])
            let post = try await ForumSteps.post(app, topic: topicID, number: 1)
            _ = try await anna.post("/p/\(post.id!)/react", [("kind", "thanks")])
            try await ForumSteps.reply(anna, topic: topicID, body: "Ik herken het")
            try await ForumSteps.reply(bram, topic: topicID, body: "Dank je wel")

            // Defaults: a reply goes to the daily digest; a reaction never by email.
            #expect(try await NotificationSteps.mailer(app).runOnce() == 0)
            let notes = try await NotificationSteps.notifications(app, of: bramMember)
            #expect(notes.first { $0.kind == .reply }?.emailState == .daily)
            #expect(notes.first { $0.kind == .reaction }?.emailState == App.Notification.EmailState.none)

            clock.advance(by: 22 * 3_600)
            let figures = try await NotificationSteps.digest(app).run()
            #expect(figures.digestsSent == 2)
            let bramDigest = try #require(try await NotificationSteps.mails(app, to: bramMember).last)
            #expect(bramDigest.textBody.contains("Dit ging over jou"))
            let annaDigest = try #require(try await NotificationSteps.mails(app, to: annaMember).last)
            #expect(annaDigest.textBody.contains("Niets hiervan heeft jou nu nodig"))
            #expect(annaDigest.unsubscribeURL?.contains("what=digest") == true)

            // The next day, with nothing new: no digest at all.
            clock.advance(by: 86_400)
            #expect(try await NotificationSteps.digest(app).run().digestsSent == 0)
        }
    }

    @Test("a member on a break receives nothing, sees a banner instead of counts, and 'while you were away' on return")
    func takeABreak() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_796_029_200))
        try await withConnectApp(clock: clock) { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            try await NotificationSteps.prefs(app, bramMember) { $0.emailReplies = .immediately }
            let topicID = try await ForumSteps.startTopic(bram, title: "Mijn week")

            #expect(try await bram.post("/settings/break", [("length", "until"), ("until", "gisteren")]).status == .unprocessableEntity)
            #expect(try await bram.post("/settings/break", []).status == .unprocessableEntity)
            #expect(try await bram.post("/settings/break", [("length", "week")]).status == .seeOther)
            try await ForumSteps.reply(anna, topic: topicID, body: "Sterkte deze week")
            #expect(try await NotificationSteps.mailer(app).runOnce() == 0)
            clock.advance(by: 86_400)
            #expect(try await NotificationSteps.digest(app).run().digestsSent == 0)
            #expect(try await NotificationSteps.mails(app, to: bramMember).isEmpty)
            let home = try await bram.get("/")
            #expect(home.text.contains("break-banner") && !home.text.contains("id=\"notification-count\""))
            #expect(!home.text.contains("badge-unread"))

            // The week is over: the first page is "while you were away", once.
            clock.advance(by: 7 * 86_400)
            let back = try await bram.get("/t/\(topicID)")
            #expect(back.location == "/away?next=/t/\(topicID)")
            let away = try await bram.get(back.location!)
            #expect(away.text.contains("away-title") && away.text.contains("Mijn week"))
            #expect(try await bram.get("/t/\(topicID)").status == .ok)
            #expect(try await NotificationRows.unreadCount(of: bramMember.requireID(), on: app.db) == 0)
            // Ending a break early works too.
            _ = try await bram.post("/settings/break", [("length", "day")])
            #expect(try await bram.post("/settings/break/end", []).location == "/away")
        }
    }

    @Test("the unsubscribe link works without a login: a page with one button, and RFC 8058's one-click POST")
    func unsubscribe() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            let prefs = try await NotificationPreferences.of(member.requireID(), on: app.db)
            try await prefs.save(on: app.db)
            let visitor = TestBrowser(app)
            let unknown = try await visitor.get("/unsubscribe/not-a-token-at-all-nope?what=replies")
            #expect(!unknown.text.contains("unsubscribe-form"))
            let page = try await visitor.get("/unsubscribe/\(prefs.unsubscribeToken)?what=replies")
            #expect(page.status == .ok && page.text.contains("unsubscribe-form"))
            // A mail program posts "List-Unsubscribe=One-Click" without cookies or a CSRF token.
            let oneClick = try await TestBrowser(app).post(
                "/unsubscribe/\(prefs.unsubscribeToken)?what=digest",
                rawBody: "List-Unsubscribe=One-Click")
            #expect(oneClick.status == .ok && oneClick.text.contains("unsubscribed"))
            let after = try await NotificationPreferences.of(member.requireID(), on: app.db)
            #expect(after.emailReplies == .never && after.emailMentions == .never && after.emailModerator == .immediately)
        }
    }

    @Test("notification mail carries RFC 8058 List-Unsubscribe headers")
    func listUnsubscribeHeaders() {
        let message = MIMEMessage.render(
            fromName: "Depression Connect", fromAddress: "noreply@example.org", to: "a@example.org",
            subject: "Hallo", textBody: "x", htmlBody: nil, date: Date(), messageID: "<1@x>",
            unsubscribeURL: "https://connect.example/unsubscribe/abc?what=digest")
        #expect(message.contains("List-Unsubscribe: <https://connect.example/unsubscribe/abc?what=digest>\r\n"))
        #expect(message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
    }

    @Test("settings: frequencies, quiet hours and budget are saved; bad values come back with what was typed")
    func settings() async throws {
        try await withConnectApp { app in
            let (browser, member) = try await ForumSteps.loggedIn(app)
            let base = [
                ("email_replies", "immediately"), ("email_mentions", "daily"), ("email_reactions", "never"),
                ("email_moderator", "immediately"), ("email_watching", "weekly"), ("quiet_enabled", "on"),
            ]
            let bad = try await browser.post(
                "/settings/notifications", base + [("quiet_start", "25:00"), ("quiet_end", "08:00"), ("daily_budget", "99")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("value=\"25:00\"") && bad.text.contains("value=\"99\""))
            #expect(
                try await browser.post("/settings/notifications", base + [("quiet_start", "22:30"), ("quiet_end", "07:00"), ("daily_budget", "3")])
                    .status == .seeOther)
            let saved = try await NotificationPreferences.of(member.requireID(), on: app.db)
            #expect(saved.emailReplies == .immediately && saved.emailWatching == .weekly && saved.quietEnabled)
            #expect(saved.quietStart == 22 * 60 + 30 && saved.quietEnd == 7 * 60 && saved.dailyBudget == 3)
        }
    }

    @Test("live updates: new posts and the count arrive as Server-Sent Events, and pause in quiet hours")
    func live() async throws {
        let clock = ManualClock(NotificationSteps.lateEvening)
        try await withConnectApp(clock: clock) { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let topicID = try await ForumSteps.startTopic(bram)
            try await ForumSteps.reply(anna, topic: topicID, body: "Een *nieuw* antwoord")
            let stream = try await bram.get("/live?topic=\(topicID)&after=1&once=1")
            #expect(stream.headers.contentType?.subType == "event-stream")
            #expect(stream.text.contains("event: count\ndata: 1\n\n"))
            #expect(stream.text.contains("event: post") && stream.text.contains("nieuw") && stream.text.contains("<em>"))
            try await NotificationSteps.prefs(app, bramMember) { $0.quietEnabled = true }
            let quiet = try await bram.get("/live?topic=\(topicID)&after=1&once=1")
            #expect(!quiet.text.contains("event:"))
        }
    }
}
