import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// One thing, one action: what a moderator does settles everything it answers.
@Suite("Moderation flows: one action settles one thing, in order of severity", .serialized)
struct ModerationFlowTests {
    @Test("hiding a reported post resolves its open reports, recorded; the reporter reads that the post was taken down")
    func hidingResolvesReports() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Een reactie die niet door de beugel kan")
            let post = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            let (bram, _) = try await ForumSteps.loggedIn(app)
            #expect(try await bram.post("/p/\(post)/report", [("reason", "disrespectful")]).status == .seeOther)
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .flag).first())

            let (moderator, me) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.post("/mod/posts/\(post)/hide", [("reason", "Kwetsend")]).status == .seeOther)
            let resolved = try #require(try await ReviewItem.find(item.id, on: app.db))
            #expect(resolved.resolvedAt != nil && resolved.resolvedBy == me.id && resolved.outcome == .postTakenDown)
            #expect(resolved.outcomeReason == "Kwetsend")
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "review.resolve").all()
            let itemTarget = "review:\(try item.requireID().uuidString)"
            #expect(audit.count == 1 && audit.first?.target == itemTarget)
            #expect(!(try await moderator.get("/mod/queue").text.contains("id=\"item-\(try item.requireID().uuidString)\"")))
            #expect(try await bram.get("/notices").text.contains("de moderatoren hebben het bericht weggehaald"))
        }
    }

    @Test("a post hidden by members' reports alone can be hidden by a moderator with a reason, which settles the reports")
    func autoHiddenPostCanBeHidden() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(anna, topic: topic, body: "Een gewone reactie")
            let post = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
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
            let open = try await ReviewItem.query(on: app.db).filter(\.$postID == post).filter(\.$resolvedAt == nil).count()
            #expect(open == 0, "the reports are still open")
            // Hidden with a reason now: hiding again is refused and the form is gone.
            #expect(try await moderator.post("/mod/posts/\(post)", [("_form", "hide"), ("reason", "Nog eens")]).status == .unprocessableEntity)
            #expect(!(try await moderator.get("/mod/posts/\(post)").text.contains("id=\"hide-form\"")))
        }
    }

    @Test("acknowledging a crisis alert resolves its queue item; resolving the item in the queue acknowledges its alert")
    func alertAndItemAreOne() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            for browser in [anna, bram] {
                _ = try await browser.post(
                    "/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", CrisisAlertTests.crisisText)])
            }
            let alerts = try await Alert.query(on: app.db).sort(\.$createdAt).all()
            #expect(alerts.count == 2)
            let items = try await ReviewItem.query(on: app.db).filter(\.$kind == .crisis).all()
            #expect(Set(items.compactMap(\.alertID)) == Set(alerts.compactMap(\.id)), "each crisis item knows its alert")

            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            // The first: acknowledged on the alerts page; its item leaves the queue with it.
            let first = try alerts[0].requireID()
            #expect(try await moderator.post("/mod/alerts/\(first)/acknowledge", [("reason", "Persoonlijk bericht gestuurd")]).status == .seeOther)
            let firstItem = try #require(items.first { $0.alertID == first })
            let settled = try #require(try await ReviewItem.find(firstItem.id, on: app.db))
            #expect(settled.outcome == .alertAcknowledged && settled.outcomeReason == "Persoonlijk bericht gestuurd")

            // The second: resolved in the queue, with an outcome that fits a crisis; its alert is acknowledged.
            let secondItem = try #require(items.first { $0.alertID != first })
            let itemID = try secondItem.requireID().uuidString
            let queue = try await moderator.get("/mod/queue").text
            let form = try #require(
                queue.components(separatedBy: "id=\"outcome-\(itemID)\"").dropFirst().first?.components(separatedBy: "</select>").first)
            #expect(form.contains("value=\"help_offered\"") && !form.contains("value=\"welcomed\""), "a crisis offers no 'welcomed'")
            #expect(queue.contains("href=\"/mod/alerts#alert-\(try alerts[1].requireID().uuidString)\""))
            let wrong = try await moderator.post("/mod/queue/\(itemID)/resolve", [("outcome", "welcomed"), ("reason", "Verkeerd")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await ReviewItem.find(secondItem.id, on: app.db)?.resolvedAt == nil)
            let right = try await moderator.post("/mod/queue/\(itemID)/resolve", [("outcome", "help_offered"), ("reason", "Samen 113 gebeld")])
            #expect(right.status == .seeOther)
            let alert = try #require(try await Alert.find(alerts[1].id, on: app.db))
            #expect(alert.acknowledgedAt != nil && alert.actionNote == "Samen 113 gebeld")
            #expect(try await AlertRows.load(open: true, on: app.db).isEmpty, "both alerts are acknowledged")
        }
    }

    @Test("the queue orders by severity, then age: crisis, worried, privacy, rule reports, welcomes")
    func severityOrder() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            for body in ["Eerste", "Tweede", "Derde"] { try await ForumSteps.reply(anna, topic: topic, body: "\(body) reactie, gewoon") }
            let posts = try await (2...4).asyncMap { try await ForumSteps.post(app, topic: topic, number: $0).requireID() }
            let (bram, _) = try await ForumSteps.loggedIn(app)
            // Oldest first: a rule report, then privacy, then "worried"; a crisis comes last of all.
            for (post, reason) in zip(posts, ["disrespectful", "privacy", "worried"]) {
                #expect(try await bram.post("/p/\(post)/report", [("reason", reason)]).status == .seeOther)
                clock.advance(by: 60)
            }
            let (cees, _) = try await ForumSteps.loggedIn(app)
            _ = try await cees.post(
                "/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", CrisisAlertTests.crisisText)])
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let queue = try await moderator.get("/mod/queue").text
            let kinds = queue.components(separatedBy: "class=\"queue-item queue-").dropFirst().map { String($0.prefix(while: { $0 != "\"" })) }
            #expect(kinds.first == "crisis", "\(kinds)")
            let flags = try await ReviewItem.query(on: app.db).filter(\.$kind == .flag).all()
            let byPost = Dictionary(uniqueKeysWithValues: flags.compactMap { item in item.postID.map { ($0, item) } })
            let ids = try posts.reversed().map { try #require(byPost[$0]?.id?.uuidString) }
            let positions = ids.map { id in queue.range(of: "id=\"item-\(id)\"")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil })
            let sorted = positions.compactMap { $0 }
            #expect(sorted == sorted.sorted(), "worried before privacy before a rule report, though reported later")
            #expect(kinds.last == "welcome", "\(kinds)")
        }
    }
}

extension ClosedRange where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var out = [T]()
        for value in self { out.append(try await transform(value)) }
        return out
    }
}
