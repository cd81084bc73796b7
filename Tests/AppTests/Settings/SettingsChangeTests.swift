import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Settings: pseudonym, email, language and time zone", .serialized)
struct SettingsChangeTests {
    @Test("a pseudonym changes at most once per 30 days; bad names come back with what was typed; the old one is reserved for 90 days")
    func pseudonymOncePer30Days() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (browser, member) = try await ForumSteps.loggedIn(app, pseudonym: "Kraanvogel")
            _ = try await Fixtures.member(app, pseudonym: "Bezet")

            let short = try await browser.post("/settings/pseudonym", [("new_pseudonym", "x")])
            #expect(short.status == .unprocessableEntity)
            #expect(short.text.contains("value=\"x\"") && short.text.contains("new_pseudonym-error"))
            let odd = try await browser.post("/settings/pseudonym", [("new_pseudonym", "<script>")])
            #expect(odd.status == .unprocessableEntity && odd.text.contains("&lt;script&gt;") && !odd.text.contains("<script>"))
            let taken = try await browser.post("/settings/pseudonym", [("new_pseudonym", "bezet")])
            #expect(taken.status == .unprocessableEntity)
            #expect(try await browser.post("/settings/pseudonym", [("new_pseudonym", "Kraanvogel")]).status == .unprocessableEntity)

            let changed = try await browser.post("/settings/pseudonym", [("new_pseudonym", "Zilverreiger")])
            #expect(changed.status == .seeOther)
            #expect(try await Member.find(member.id, on: app.db)?.pseudonym == "Zilverreiger")

            // Ten days later: too soon, with the date it becomes possible.
            clock.advance(by: 10 * 86_400)
            let tooSoon = try await browser.post("/settings/pseudonym", [("new_pseudonym", "Lepelaar")])
            #expect(tooSoon.status == .unprocessableEntity)
            #expect(tooSoon.text.contains("pseudonym-wait"))
            #expect(try await Member.find(member.id, on: app.db)?.pseudonym == "Zilverreiger")

            // The old name is not free for someone else, at sign-up or by a change.
            let signup = try await TestBrowser(app).post(
                "/signup",
                [
                    ("email", "nieuw@example.org"), ("password", goodPassword),
                    ("pseudonym", "kraanvogel"), ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
                ])
            #expect(signup.status == .unprocessableEntity)
            let (other, _) = try await ForumSteps.loggedIn(app)
            #expect(try await other.post("/settings/pseudonym", [("new_pseudonym", "Kraanvogel")]).status == .unprocessableEntity)

            // After 30 days the member may change again, even back to their own old name.
            clock.advance(by: 21 * 86_400)
            #expect(try await browser.post("/settings/pseudonym", [("new_pseudonym", "Kraanvogel")]).status == .seeOther)
            // After 90 days a given-up name is free again.
            clock.advance(by: 91 * 86_400)
            #expect(try await other.post("/settings/pseudonym", [("new_pseudonym", "Zilverreiger")]).status == .seeOther)
        }
    }

    @Test("a new email takes effect only from the link sent to it; the old address gets a notice; the password is required")
    func emailChange() async throws {
        try await withConnectApp { app in
            let (browser, member) = try await ForumSteps.loggedIn(app)
            let other = try await Fixtures.member(app, email: "bezet@example.org")

            let wrongPassword = try await browser.post("/settings/email", [("new_email", "nieuw@example.org"), ("email_password", "nope")])
            #expect(wrongPassword.status == .unprocessableEntity && wrongPassword.text.contains("value=\"nieuw@example.org\""))
            #expect(
                try await browser.post("/settings/email", [("new_email", "geen-adres"), ("email_password", goodPassword)]).status
                    == .unprocessableEntity)

            // Someone else's address: the same answer, and that owner is told instead.
            #expect(
                try await browser.post("/settings/email", [("new_email", "bezet@example.org"), ("email_password", goodPassword)]).status == .seeOther)
            #expect(try await Fixtures.lastMail(app, to: other.email) != nil)
            #expect(try await Member.find(member.id, on: app.db)?.pendingEmail == nil)

            #expect(
                try await browser.post("/settings/email", [("new_email", "Nieuw@Example.org"), ("email_password", goodPassword)]).status == .seeOther)
            #expect(try await Member.find(member.id, on: app.db)?.email == member.email)
            let notice = try await Fixtures.lastMail(app, to: member.email)
            #expect(notice?.subject.contains("e-mailadres") == true || notice?.subject.contains("email") == true)
            let link = try #require(Fixtures.link(in: try await Fixtures.lastMail(app, to: "nieuw@example.org"), prefix: "/settings/email/confirm/"))
            #expect(!(try await TestBrowser(app).get("/settings/email/confirm/not-a-real-token-at-all-xx")).text.contains("email-changed"))
            let confirmed = try await TestBrowser(app).get(link)
            #expect(confirmed.status == .ok && confirmed.text.contains("email-changed"))
            #expect(try await Member.find(member.id, on: app.db)?.email == "nieuw@example.org")
            // The link works once.
            #expect(!(try await TestBrowser(app).get(link)).text.contains("email-changed"))
        }
    }

    @Test("language and time zone are saved; an unknown time zone is refused")
    func languageAndTimeZone() async throws {
        try await withConnectApp { app in
            let (browser, member) = try await ForumSteps.loggedIn(app)
            #expect(try await browser.post("/settings/language", [("locale", "en"), ("time_zone", "Mars/Olympus")]).status == .unprocessableEntity)
            #expect(try await browser.post("/settings/language", [("locale", "en"), ("time_zone", "America/New_York")]).status == .seeOther)
            let saved = try #require(try await Member.find(member.id, on: app.db))
            #expect(saved.locale == .en && saved.timeZone == "America/New_York")
            #expect(try await browser.get("/settings").text.contains("Your pseudonym"))
            // Times now read in New York time: the test clock's 14:13 UTC is 10:13 there (16:13 in Amsterdam).
            _ = try await browser.post("/settings/safety-plan", [("what_helps", "Thee")])
            let plan = try await browser.get("/settings/safety-plan").text
            #expect(plan.contains("10:13") && !plan.contains("16:13"))
        }
    }

    @Test("settings need a login; forms without a CSRF token are refused")
    func permissions() async throws {
        try await withConnectApp { app in
            let visitor = TestBrowser(app)
            #expect(try await visitor.get("/settings").status == .seeOther)
            #expect(try await visitor.get("/settings/safety-plan").status == .seeOther)
            #expect(try await visitor.get("/settings/export").status == .seeOther)
            let (browser, _) = try await ForumSteps.loggedIn(app)
            #expect(try await browser.post("/settings/pseudonym", [("new_pseudonym", "Nieuw")], includeCSRF: false).status == .forbidden)
            #expect(
                try await browser.post("/settings/leave", [("choice", "keep_posts"), ("password", goodPassword)], includeCSRF: false).status
                    == .forbidden)
        }
    }
}
