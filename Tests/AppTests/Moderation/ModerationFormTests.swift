import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Moderators' forms keep what was typed and chosen, and post to their page's own URL.
@Suite("Moderator forms keep what was typed", .serialized)
struct ModerationFormTests {
    @Test("suspending for 7 days suspends for 7 days; only a suspension takes 'until further notice', a silence always ends")
    func durations() async throws {
        try await withConnectApp { app in
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (_, anna) = try await ForumSteps.loggedIn(app)
            let (_, bram) = try await ForumSteps.loggedIn(app)
            let now = app.connect.clock.now()
            let page = "/mod/members/\(try anna.requireID().uuidString)"
            let suspended = try await moderator.post(
                page, [("_form", "act"), ("kind", "suspend"), ("days_suspend", "7"), ("days_silence", "1"), ("reason", "Een week rust")])
            #expect(suspended.status == .seeOther)
            let after = try #require(try await Member.find(anna.id, on: app.db))
            #expect(after.suspendedUntil == now.addingTimeInterval(7 * 86_400), "the suspension's own duration counts, not the silence's")
            #expect(try await ModerationAction.query(on: app.db).filter(\.$kind == .suspend).count() == 1)
            #expect(try await ModerationAction.query(on: app.db).filter(\.$kind == .message).count() == 0)

            let bramPage = "/mod/members/\(try bram.requireID().uuidString)"
            let forever = try await moderator.post(
                bramPage, [("_form", "act"), ("kind", "silence"), ("days_silence", "0"), ("reason", "Tot nader order")])
            #expect(forever.status == .unprocessableEntity && forever.text.contains("act-days-silence-error"))
            #expect(try await Member.find(bram.id, on: app.db)?.silencedUntil == nil)
            // The silence's menu offers only durations that end; the suspension's offers "until further notice".
            let form = try await moderator.get(bramPage).text
            let silenceMenu = try #require(
                form.components(separatedBy: "id=\"act-days-silence\"").dropFirst().first?.components(separatedBy: "</select>").first)
            let suspendMenu = try #require(
                form.components(separatedBy: "id=\"act-days-suspend\"").dropFirst().first?.components(separatedBy: "</select>").first)
            #expect(!silenceMenu.contains("<option value=\"0\"") && silenceMenu.contains("<option value=\"14\""))
            #expect(suspendMenu.contains("<option value=\"0\"") && suspendMenu.contains("<option value=\"90\""))
            let silenced = try await moderator.post(
                bramPage, [("_form", "act"), ("kind", "silence"), ("days_silence", "14"), ("reason", "Twee weken")])
            #expect(silenced.status == .seeOther)
            #expect(try await Member.find(bram.id, on: app.db)?.silencedUntil == now.addingTimeInterval(14 * 86_400))
        }
    }

    @Test("a failed member action comes back on the member's page with the action, the duration and the reason as chosen")
    func failedActionKeepsChoices() async throws {
        try await withConnectApp { app in
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (_, anna) = try await ForumSteps.loggedIn(app)
            let page = "/mod/members/\(try anna.requireID().uuidString)"
            let failed = try await moderator.post(page, [("_form", "act"), ("kind", "suspend"), ("days_suspend", "5"), ("reason", "Getypte reden")])
            #expect(failed.status == .unprocessableEntity)
            #expect(failed.text.contains("Getypte reden"))
            #expect(failed.text.contains("id=\"act-kind-suspend\" name=\"kind\" value=\"suspend\" checked"), "the chosen action comes back chosen")
            // The form posts to the page it is on, so a reload shows the page, not a 404.
            #expect(failed.text.contains("id=\"act-form\" class=\"stack-form\" method=\"post\" action=\"\(page)\""))
            #expect(try await moderator.get(page + "/act").location == page)
            #expect(try await Member.find(anna.id, on: app.db)?.suspendedUntil == nil)
            // No duration chosen: the form says so, and shows none chosen rather than "1 day".
            let noDays = try await moderator.post(page, [("_form", "act"), ("kind", "suspend"), ("days_suspend", ""), ("reason", "Even rust")])
            #expect(noDays.status == .unprocessableEntity)
            #expect(noDays.text.contains("act-days-suspend-error"))
            #expect(noDays.text.contains("<option value selected>"))
            #expect(try await Member.find(anna.id, on: app.db)?.suspendedUntil == nil)
        }
    }

    @Test("a reason typed before the session expired comes back in the right form on the post's page and in the queue")
    func rescuedReasons() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(bram, topic: topic, body: "Een gewone reactie")
            let post = try await ForumSteps.post(app, topic: topic, number: 2)
            let (moderator, me) = try await ForumSteps.loggedIn(app, role: .moderator)
            let page = "/mod/posts/\(try post.requireID())"
            // An empty reason: the same page again, on its own URL.
            let empty = try await moderator.post(page, [("_form", "hide"), ("_return", page), ("reason", "")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("hide-reason-error"))
            #expect(try await moderator.get(page + "/hide").location == page)

            // The session expires while the moderator types.
            moderator.forgetCookie("dc_session")
            let expired = try await moderator.post(page, [("_form", "hide"), ("_return", page), ("reason", "Naam van een arts genoemd")])
            #expect(expired.status == .seeOther)
            #expect(expired.location?.hasPrefix("/login") == true)
            clock.advance(by: 31)  // a two-factor code is accepted once
            try await Fixtures.logIn(moderator, me)
            let back = try await moderator.get(page)
            #expect(back.text.contains("value=\"Naam van een arts genoemd\""))

            // The queue: a resolve without a reason stays on the queue, with the outcome chosen.
            _ = try await bram.post("/p/\(try post.requireID())/report", [("reason", "other"), ("note", "Klopt niet")])
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$resolvedAt == nil).first())
            let itemID = try item.requireID().uuidString
            let noReason = try await moderator.post("/mod/queue", [("_form", "resolve"), ("item", itemID), ("outcome", "no_action"), ("reason", "")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("reason-\(itemID)-error"))
            #expect(noReason.text.contains("<option value=\"no_action\" selected"))
            moderator.forgetCookie("dc_session")
            _ = try await moderator.post(
                "/mod/queue",
                [
                    ("_form", "resolve"), ("_return", "/mod/queue"), ("item", itemID),
                    ("outcome", "no_action"), ("reason", "Niets aan de hand"),
                ])
            clock.advance(by: 31)
            try await Fixtures.logIn(moderator, me)
            #expect(try await moderator.get("/mod/queue").text.contains("value=\"Niets aan de hand\""))
            #expect(try await ReviewItem.find(item.id, on: app.db)?.resolvedAt == nil)
        }
    }

    @Test("a moderator may not look up an admin's contact details or open their page; an admin may")
    func teamContactIsForAdmins() async throws {
        try await withConnectApp { app in
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (admin, adminMember) = try await ForumSteps.loggedIn(app, role: .admin)
            let page = "/mod/members/\(try adminMember.requireID().uuidString)"
            let look = try await moderator.post(page + "/contact", [("reason", "Nieuwsgierig")])
            #expect(look.status == .forbidden)
            #expect(!look.text.contains(adminMember.email))
            #expect(try await moderator.post(page, [("_form", "contact"), ("reason", "Nieuwsgierig")]).status == .forbidden)
            #expect(try await moderator.get(page).status == .forbidden)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "contact.view").count() == 0)
            let (_, otherModerator) = try await ForumSteps.loggedIn(app, role: .moderator)
            let allowed = try await admin.post("/mod/members/\(try otherModerator.requireID().uuidString)/contact", [("reason", "Rooster")])
            #expect(allowed.status == .ok)
            #expect(allowed.text.contains(otherModerator.email))
        }
    }

    @Test("a moderator without two-factor sign-in has no moderator powers: hidden text stays hidden on topic pages")
    func powersWaitForTwoFactor() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(bram, topic: topic, body: "Deze tekst is verborgen door een moderator")
            let post = try await ForumSteps.post(app, topic: topic, number: 2)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.post("/mod/posts/\(try post.requireID())/hide", [("reason", "Test")]).status == .seeOther)

            // A new moderator who has not set up two-factor sign-in yet.
            let newcomer = try await Fixtures.member(app, role: .moderator)
            newcomer.totpSecret = nil
            newcomer.totpEnabledAt = nil
            try await newcomer.save(on: app.db)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, newcomer)
            let page = try await browser.get("/t/\(topic)").text
            #expect(!page.contains("Deze tekst is verborgen door een moderator"))
            #expect(!page.contains("mod-tools-heading"))
            #expect(try await browser.get("/mod").location == "/settings/two-factor")
            #expect(try await browser.post("/mod/posts/\(try post.requireID())/restore", [("reason", "x")]).location == "/settings/two-factor")
            #expect(try await browser.get("/p/\(try post.requireID())/history").location == "/settings/two-factor")
        }
    }
}
