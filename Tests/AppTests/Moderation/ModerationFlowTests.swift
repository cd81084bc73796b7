import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// One thing, one action: acting on a post or an alert settles what the queue holds about it;
/// the queue comes by severity, then age; each item offers the outcomes that fit it.
@Suite("Moderation flows: one thing, one action", .serialized)
struct ModerationFlowTests {
    static let crisisText = CrisisAlertTests.crisisText

    /// Anna's reply in a topic of her own; returns the topic and the reply's id.
    func reply(_ app: Application, by anna: TestBrowser, body: String = "Een gewone reactie") async throws -> (topic: Int, post: Int) {
        let topic = try await ForumSteps.startTopic(anna)
        try await ForumSteps.reply(anna, topic: topic, body: body)
        return (topic, try await ForumSteps.post(app, topic: topic, number: 2).requireID())
    }

    func openItems(_ app: Application, post: Int) async throws -> [ReviewItem] {
        try await ReviewItem.query(on: app.db).filter(\.$postID == post).filter(\.$resolvedAt == nil).all()
    }

    @Test("hiding a reported post resolves its open reports as 'action taken', audited, and the reporters see it")
    func hidingResolvesReports() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let (cor, _) = try await ForumSteps.loggedIn(app)
            let (_, post) = try await reply(app, by: anna, body: "Een reactie over medicatie")
            #expect(try await bram.post("/p/\(post)/report", [("reason", "disrespectful")]).status == .seeOther)
            #expect(try await cor.post("/p/\(post)/report", [("reason", "misinformation")]).status == .seeOther)
            let item = try #require(try await openItems(app, post: post).first)
            let itemID = try item.requireID().uuidString
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.get("/mod/queue").text.contains("item-\(itemID)"))

            let hidden = try await moderator.post("/mod/posts/\(post)", [("_form", "hide"), ("reason", "Kwetsend over medicatie")])
            #expect(hidden.status == .seeOther)
            #expect(try await openItems(app, post: post).isEmpty)
            let resolved = try #require(try await ReviewItem.find(item.id, on: app.db))
            #expect(resolved.outcome == .actionTaken && resolved.resolvedBy != nil)
            #expect(resolved.outcomeReason?.contains("Kwetsend over medicatie") == true)
            #expect(try await ModerationSteps.auditActions(app).contains("review.resolved_by_hide"))
            #expect(!(try await moderator.get("/mod/queue").text.contains("item-\(itemID)")), "the queue still shows the report")
            for reporter in [bram, cor] {
                #expect(try await reporter.get("/notices").text.contains("de moderatoren hebben actie ondernomen"))
            }
        }
    }

    @Test("removing a post resolves its reports and rule hits too, but a crisis item about its writer stays open")
    func removingLeavesCrisisOpen() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: Self.crisisText)
            let post = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            _ = try await bram.post("/p/\(post)/report", [("reason", "worried")])
            #expect(try await openItems(app, post: post).count == 2)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.post("/mod/posts/\(post)", [("_form", "remove"), ("reason", "Regel 4")]).status == .seeOther)
            let open = try await openItems(app, post: post)
            #expect(open.map(\.kind) == [.crisis], "only the crisis item stays open: \(open.map(\.kind))")
            #expect(try await ModerationSteps.auditActions(app).contains("review.resolved_by_remove"))
        }
    }

    @Test("a post hidden by three reports can be hidden by a moderator with a reason, which settles the reports")
    func autoHiddenPostCanBeHidden() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (_, post) = try await reply(app, by: anna)
            for _ in 0..<Flag.hideThreshold {
                _ = try await ForumSteps.loggedIn(app).0.post("/p/\(post)/report", [("reason", "disrespectful")])
            }
            #expect(try await Post.find(post, on: app.db)?.screening == .hidden)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let page = try await moderator.get("/mod/posts/\(post)").text
            #expect(page.contains("id=\"hide-form\"") && page.contains("id=\"restore-form\""))
            #expect(try await moderator.post("/mod/posts/\(post)", [("_form", "hide"), ("reason", "Bevestigd")]).status == .seeOther)
            let after = try #require(try await Post.find(post, on: app.db))
            #expect(after.screening == .hidden && after.moderationReason == "Bevestigd")
            #expect(try await openItems(app, post: post).isEmpty)
            // Hidden with a reason now: hiding again is refused and the form is gone.
            #expect(try await moderator.post("/mod/posts/\(post)", [("_form", "hide"), ("reason", "Nog eens")]).status == .unprocessableEntity)
            #expect(!(try await moderator.get("/mod/posts/\(post)").text.contains("id=\"hide-form\"")))
        }
    }

    @Test("acknowledging a crisis alert resolves its queue item with the outcome chosen; a missing outcome keeps the note")
    func acknowledgingResolvesItem() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", Self.crisisText)])
            let alert = try #require(try await Alert.query(on: app.db).first())
            let alertID = try alert.requireID().uuidString
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .crisis).first())
            #expect(item.alertID == alert.id)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let queue = try await moderator.get("/mod/queue").text
            #expect(queue.contains("alert-link-\(try item.requireID().uuidString)"))

            let noOutcome = try await moderator.post("/mod/alerts/\(alertID)/acknowledge", [("reason", "Persoonlijk bericht gestuurd")])
            #expect(noOutcome.status == .unprocessableEntity)
            #expect(noOutcome.text.contains("outcome-\(alertID)-error") && noOutcome.text.contains("value=\"Persoonlijk bericht gestuurd\""))
            let unfitting = try await moderator.post("/mod/alerts/\(alertID)/acknowledge", [("outcome", "welcomed"), ("reason", "Hallo")])
            #expect(unfitting.status == .unprocessableEntity)
            #expect(try await Alert.find(alert.id, on: app.db)?.acknowledgedAt == nil)

            let done = try await moderator.post(
                "/mod/alerts/\(alertID)/acknowledge", [("outcome", "help_offered"), ("reason", "Persoonlijk bericht gestuurd")])
            #expect(done.status == .seeOther)
            #expect(try await Alert.find(alert.id, on: app.db)?.acknowledgedAt != nil)
            let resolved = try #require(try await ReviewItem.find(item.id, on: app.db))
            #expect(resolved.resolvedAt != nil && resolved.outcome == .helpOffered && resolved.outcomeReason == "Persoonlijk bericht gestuurd")
            #expect(try await ModerationSteps.auditActions(app).contains("review.resolved_by_alert"))
            #expect(!(try await moderator.get("/mod/queue").text.contains("item-\(try item.requireID().uuidString)")))
        }
    }

    @Test("resolving a crisis item from the queue acknowledges its alert; outcomes that do not fit the kind are refused")
    func resolvingCrisisItemAcknowledgesAlert() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", Self.crisisText)])
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .crisis).first())
            let welcome = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .welcome).first())
            let id = try item.requireID().uuidString
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            // The crisis item offers the crisis outcomes only; the welcome item offers "welcomed".
            let queue = try await moderator.get("/mod/queue").text
            func options(of itemID: String) -> String {
                guard let start = queue.range(of: "id=\"outcome-\(itemID)\"")?.upperBound,
                    let end = queue[start...].range(of: "</select>")?.lowerBound
                else { return "" }
                return String(queue[start..<end])
            }
            let crisisOptions = options(of: id)
            #expect(crisisOptions.contains("value=\"help_offered\"") && crisisOptions.contains("value=\"no_action\""))
            #expect(!crisisOptions.contains("value=\"welcomed\"") && !crisisOptions.contains("value=\"action_taken\""))
            let welcomeOptions = options(of: try welcome.requireID().uuidString)
            #expect(welcomeOptions.contains("value=\"welcomed\"") && !welcomeOptions.contains("value=\"help_offered\""))

            let wrong = try await moderator.post("/mod/queue", [("_form", "resolve"), ("item", id), ("outcome", "welcomed"), ("reason", "Gebeld")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.text.contains("outcome-\(id)-error") && wrong.text.contains("value=\"Gebeld\""))
            #expect(try await ReviewItem.find(item.id, on: app.db)?.resolvedAt == nil)

            let right = try await moderator.post(
                "/mod/queue", [("_form", "resolve"), ("item", id), ("outcome", "help_offered"), ("reason", "Gebeld")])
            #expect(right.status == .seeOther)
            let alert = try #require(try await Alert.find(item.alertID, on: app.db))
            #expect(alert.acknowledgedAt != nil && alert.actionNote == "Gebeld")
            #expect(try await moderator.get("/mod/alerts").text.contains("alerts-none"))
        }
    }

    @Test("the queue comes by severity, then age: crisis, worried, privacy, rule reports, welcomes")
    func queueOrder() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            // Oldest first: a welcome, a rule report, a privacy report, a worried report, a crisis.
            let (_, rulePost) = try await reply(app, by: anna, body: "Een reactie die iemand kwetsend vindt")
            clock.advance(by: 60)
            let (_, privacyPost) = try await reply(app, by: anna, body: "Een reactie over de buren")
            clock.advance(by: 60)
            let (_, worriedPost) = try await reply(app, by: anna, body: "Vandaag was een grijze dag")
            clock.advance(by: 60)
            _ = try await bram.post("/p/\(rulePost)/report", [("reason", "disrespectful")])
            _ = try await bram.post("/p/\(privacyPost)/report", [("reason", "privacy")])
            _ = try await bram.post("/p/\(worriedPost)/report", [("reason", "worried")])
            clock.advance(by: 60)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", Self.crisisText)])
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)

            func order() async throws -> [String] {
                let page = try await moderator.get("/mod/queue").text
                let items = try await ReviewItem.query(on: app.db).filter(\.$resolvedAt == nil).all()
                let labelled: [(String, UUID)] = try items.map { item in
                    let label: String
                    switch (item.kind, item.postID) {
                    case (.crisis, _): label = "crisis"
                    case (.welcome, _): label = "welcome"
                    case (_, worriedPost?): label = "worried"
                    case (_, privacyPost?): label = "privacy"
                    default: label = "rules"
                    }
                    return (label, try item.requireID())
                }
                return labelled.compactMap { label, id in page.range(of: "id=\"item-\(id.uuidString)\"").map { (label, $0.lowerBound) } }
                    .sorted { $0.1 < $1.1 }.map(\.0)
            }
            #expect(try await order() == ["crisis", "worried", "privacy", "rules", "welcome"])

            // A later "worried" report moves the rule report up, beside the other worried one (older first).
            _ = try await ForumSteps.loggedIn(app).0.post("/p/\(rulePost)/report", [("reason", "worried")])
            let rule = try #require(try await ReviewItem.query(on: app.db).filter(\.$postID == rulePost).first())
            #expect(rule.priority == ReviewItem.Severity.worried.rawValue)
        }
    }

    @Test("the member form offers silence and suspension their own durations, checks them on the server, and keeps the choice")
    func memberFormDurations() async throws {
        try await withConnectApp { app in
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (_, anna) = try await ForumSteps.loggedIn(app)
            let page = "/mod/members/\(try anna.requireID().uuidString)"
            let form = try await moderator.get(page).text
            #expect(form.contains("name=\"silence_days\"") && form.contains("name=\"suspend_days\""))
            #expect(form.contains("id=\"act-kind-silence\" name=\"kind\" value=\"silence\""))
            #expect(!form.contains("name=\"days\""), "one shared duration menu is gone")

            // Silence is never indefinite; 90 days is for suspension only.
            let indefinite = try await moderator.post(page, [("_form", "act"), ("kind", "silence"), ("silence_days", "0"), ("reason", "Even stil")])
            #expect(indefinite.status == .unprocessableEntity)
            #expect(indefinite.text.contains("act-silence-days-error"))
            #expect(indefinite.text.contains("id=\"act-kind-silence\" name=\"kind\" value=\"silence\" checked"))
            #expect(indefinite.text.contains("Even stil"))
            let long = try await moderator.post(page, [("_form", "act"), ("kind", "silence"), ("silence_days", "90"), ("reason", "Even stil")])
            #expect(long.status == .unprocessableEntity)
            #expect(try await Member.find(anna.id, on: app.db)?.silencedUntil == nil)

            // The duration of the other action does not count.
            let otherMenu = try await moderator.post(
                page, [("_form", "act"), ("kind", "suspend"), ("silence_days", "7"), ("suspend_days", ""), ("reason", "Rust")])
            #expect(otherMenu.status == .unprocessableEntity && otherMenu.text.contains("act-suspend-days-error"))

            let now = app.connect.clock.now()
            let suspended = try await moderator.post(
                page, [("_form", "act"), ("kind", "suspend"), ("silence_days", "7"), ("suspend_days", "90"), ("reason", "Rust")])
            #expect(suspended.status == .seeOther)
            #expect(try await Member.find(anna.id, on: app.db)?.suspendedUntil == now.addingTimeInterval(90 * 86_400))
            // A warning needs no duration, and ignores one sent.
            #expect(try await moderator.post(page, [("_form", "act"), ("kind", "warn"), ("reason", "Let op je toon")]).status == .seeOther)
            // CSRF: without the token nothing happens.
            #expect(
                try await moderator.post(page, [("_form", "act"), ("kind", "warn"), ("reason", "Nog eens")], includeCSRF: false).status == .forbidden)
        }
    }

    @Test("the migration links existing crisis items to their alerts, reverts cleanly and applies again")
    func migration() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", Self.crisisText)])
            let alert = try #require(try await Alert.query(on: app.db).first())
            try await app.db.withConnection { db in
                try await M030_ModerationFlow().revert(on: db)
                await #expect(throws: (any Error).self) { _ = try await (db as! any SQLDatabase).raw("SELECT alert_id FROM review_items").all() }
                try await M030_ModerationFlow().prepare(on: db)
                let row = try await (db as! any SQLDatabase).raw("SELECT alert_id, priority FROM review_items WHERE kind = 'crisis'").first()
                #expect(try row?.decode(column: "alert_id", as: UUID?.self) == alert.id)
                let welcome = try await (db as! any SQLDatabase).raw("SELECT priority FROM review_items WHERE kind = 'welcome'").first()
                #expect(try welcome?.decode(column: "priority", as: Int.self) == ReviewItem.Severity.welcome.rawValue)
            }
            #expect(try await TestBrowser(app).get("/").status == .ok)
        }
    }
}
