import Fluent
import Foundation
import SQLKit
import Testing
import TextRules
import VaporTesting

@testable import App

@Suite("The rule language on the rules page, the moderators' feedback, and the learned signal", .serialized)
struct TriggerRulesPageTests {
    @Test("the shipped rules alert on a plan written the way members write, and stay silent on an idiom")
    func shippedRules() async throws {
        try await withConnectApp(adjust: Fixtures.alertMailboxes) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let started = try await anna.post(
                "/t/new", [("category", "living-with-depression"), ("title", "Vanavond"), ("body", "De tabletten liggen al klaar op tafel.")])
            #expect(started.location?.hasPrefix("/support?topic=") == true)
            let topic = try #require(try await Topic.query(on: app.db).first()?.requireID())
            let alert = try #require(try await Alert.query(on: app.db).first())
            #expect(alert.postID == (try await ForumSteps.post(app, topic: topic, number: 1)).id)
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == "moderators@example.org").count() == 1)

            try await ForumSteps.reply(anna, topic: topic, body: "Ik schrok me dood van de deurbel, verder gaat het wel.")
            #expect(try await Alert.query(on: app.db).count() == 1)
            let reply = try await ForumSteps.post(app, topic: topic, number: 2)
            // (Its welcome item is there: the held plan was not yet her first visible post.)
            let items = try await ReviewItem.query(on: app.db).filter(\.$postID == reply.id).filter(\.$kind != .welcome).all()
            #expect(items.isEmpty, "\(items.map { "\($0.kind): \($0.summary)" })")
        }
    }

    @Test("an admin writes a proximity rule with an exception, sees its effect first, saves it; the test box says which rule fired and why")
    func proximityRule() async throws {
        try await withConnectApp { app in
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let page = try await moderator.get("/mod/triggers")
            #expect(page.text.contains("evaluation-figures") && page.text.contains("trigger-rules"))
            // Moderators read and test; only admins change.
            #expect(!page.text.contains("id=\"trigger-form\""))
            let rule = [
                ("pattern", "(kaars*|lont*) & aansteek* /6"), ("exceptions", "verjaardag*\nsentence: (taart|feest)"), ("language", "nl"),
                ("kind", "crisis"), ("actions[]", "alert"), ("actions[]", "help"), ("note", "a test rule"),
            ]
            #expect(try await moderator.post("/admin/triggers", rule + [("_form", "save")]).status == .forbidden)

            // A pattern that does not parse comes back with the text typed and the reason, on the form.
            let broken = try await admin.post(
                "/admin/triggers",
                [("pattern", "(kaars*|lont* & x"), ("language", "nl"), ("kind", "crisis"), ("actions[]", "alert"), ("_form", "save")])
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.text.contains("(kaars*|lont* &amp; x"))
            #expect(broken.text.contains("Een haakje is niet gesloten"))

            let preview = try await admin.post("/admin/triggers", rule + [("_form", "preview")])
            #expect(preview.status == .ok)
            #expect(
                preview.text.contains("trigger-preview-result") && preview.text.contains("preview-before") && preview.text.contains("preview-after"))
            #expect(try await TriggerRule.query(on: app.db).filter(\.$pattern == "(kaars*|lont*) & aansteek* /6").count() == 0)

            #expect(try await admin.post("/admin/triggers", rule + [("_form", "save")]).status == .seeOther)
            let saved = try #require(try await TriggerRule.query(on: app.db).filter(\.$pattern == "(kaars*|lont*) & aansteek* /6").first())
            #expect(saved.exceptionList == ["verjaardag*", "sentence: (taart|feest)"])
            #expect(saved.actionSet == [.alert, .help])

            let written = try await moderator.post("/mod/triggers/test", [("text", "Ik ga de lont aansteken, echt waar.")])
            #expect(written.text.contains("<code>(kaars*|lont*) &amp; aansteek* /6</code>"))
            #expect(written.text.contains("<mark>lont aansteken</mark>"))
            #expect(written.text.contains("“lont”, “aansteken”"))
            let cancelled = try await moderator.post("/mod/triggers/test", [("text", "Ik mag de kaarsjes aansteken op de taart!")])
            #expect(cancelled.text.contains("test-cancelled"))
            #expect(cancelled.text.contains("<code>sentence: (taart|feest)</code>"))

            // Changing it: the edit page is the form's own URL; a preview there saves nothing.
            let edit = try await admin.get(Paths.adminTrigger(saved))
            #expect(edit.status == .ok && edit.text.contains("verjaardag*"))
            let changed = try await admin.post(
                Paths.adminTrigger(saved),
                [
                    ("pattern", "(kaars*|lont*) & aansteek* /4"), ("exceptions", ""), ("language", "nl"), ("kind", "concern"), ("actions[]", "flag"),
                    ("_form", "save"),
                ])
            #expect(changed.status == .seeOther)
            let after = try #require(try await TriggerRule.find(saved.id, on: app.db))
            #expect(after.pattern == "(kaars*|lont*) & aansteek* /4" && after.kind == .concern && after.exceptionList.isEmpty)
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "trigger.update").first()
            #expect(audit?.beforeText?.contains("verjaardag*") == true)
            // Guessed ids are not found.
            #expect(try await admin.get("/admin/triggers/\(UUID().uuidString)").status == .notFound)
            #expect(try await admin.post("/admin/triggers/\(UUID().uuidString)/toggle", []).status == .notFound)
        }
    }

    @Test("a moderator's note, kept only with consent and without names, becomes an evaluation sentence; only admins handle notes")
    func feedback() async throws {
        try await withConnectApp { app in
            let (anna, member) = try await ForumSteps.loggedIn(app, pseudonym: "Zonnebloem")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            _ = try await anna.post(
                "/t/new",
                [
                    ("category", "living-with-depression"), ("title", "Moe"),
                    ("body", "Zonnebloem hier. Ik ga er morgen tussenuit en kom niet meer terug."),
                ])
            let topic = try #require(try await Topic.query(on: app.db).first()?.requireID())
            let post = try await ForumSteps.post(app, topic: topic, number: 1)
            let page = try await moderator.get(Paths.modPost(id: post.id!))
            #expect(page.text.contains("trigger-feedback-form"))
            // The form shows which rules fire on the post as they stand.
            #expect(page.text.contains("id=\"post-rules\""))
            // Without a kind: back to the form with a word on why.
            #expect(try await moderator.post(Paths.modPost(id: post.id!), [("_form", "trigger-feedback")]).status == .seeOther)
            #expect(
                try await moderator.post(Paths.modPost(id: post.id!), [("_form", "trigger-feedback"), ("kind", "missed"), ("keep", "on")]).status
                    == .seeOther)
            #expect(
                try await moderator.post(Paths.modPost(id: post.id!), [("_form", "trigger-feedback"), ("kind", "false_alarm")]).status == .seeOther)
            #expect(try await anna.post(Paths.modPost(id: post.id!), [("_form", "trigger-feedback"), ("kind", "missed")]).status == .forbidden)

            let entries = try await TriggerQueries(db: app.db).openFeedback()
            #expect(entries.count == 2)
            let kept = try #require(entries.first { $0.kind == .missed })
            let text = try #require(kept.text)
            #expect(!text.contains("Zonnebloem") && text.contains("[member] hier"))
            let scrubbed = FeedbackText.pseudonymise("Mail zon@example.org of bel 06-12345678, groet @Mira (https://x.nl/a)", names: [])
            #expect(scrubbed == "Mail [email] of bel [phone], groet @[member] ([link])")
            #expect(entries.first { $0.kind == .falseAlarm }?.text == nil)
            _ = member

            #expect(try await moderator.get("/admin/triggers/feedback").status == .forbidden)
            let list = try await admin.get("/admin/triggers/feedback")
            #expect(list.text.contains("feedback-\(kept.id.uuidString)"))
            let before = try await TriggerQueries(db: app.db).evaluationSentences().count
            // An empty sentence comes back with the choices kept, on the list's own URL.
            let empty = try await admin.post(
                "/admin/triggers/feedback",
                [
                    ("item", kept.id.uuidString), ("_form", "add"), ("text", " "), ("label-\(kept.id.uuidString)", "crisis"),
                    ("language-\(kept.id.uuidString)", "nl"),
                ])
            #expect(empty.status == .unprocessableEntity)
            let added = try await admin.post(
                "/admin/triggers/feedback",
                [
                    ("item", kept.id.uuidString), ("_form", "add"), ("text", "ik ga er morgen tussenuit en kom niet meer terug"),
                    ("label-\(kept.id.uuidString)", "crisis"), ("language-\(kept.id.uuidString)", "nl"),
                ])
            #expect(added.status == .seeOther)
            let sentences = try await TriggerQueries(db: app.db).evaluationSentences()
            #expect(sentences.count == before + 1)
            #expect(
                sentences.contains(
                    EvaluationSentence(
                        language: "nl", label: .crisis, topic: "moderator-missed", text: "ik ga er morgen tussenuit en kom niet meer terug")))
            // Settled once: a second try says so and adds nothing.
            let again = try await admin.post(
                "/admin/triggers/feedback",
                [
                    ("item", kept.id.uuidString), ("_form", "add"), ("text", "x y"), ("label-\(kept.id.uuidString)", "crisis"),
                    ("language-\(kept.id.uuidString)", "nl"),
                ])
            #expect(again.status == .seeOther)
            #expect(try await TriggerQueries(db: app.db).evaluationSentences().count == before + 1)
            #expect(try await admin.post("/admin/triggers/feedback", [("item", UUID().uuidString), ("_form", "dismiss")]).status == .notFound)
            let other = try #require(entries.first { $0.kind == .falseAlarm })
            #expect(try await admin.post("/admin/triggers/feedback", [("item", other.id.uuidString), ("_form", "dismiss")]).status == .seeOther)
            #expect(try await TriggerQueries(db: app.db).openFeedbackCount() == 0)
        }
    }

    @Test("the learned signal flags a post for screening but never raises an alert")
    func learnedSignal() async throws {
        try await withConnectApp(adjust: Fixtures.alertMailboxes) { app in
            var sentences: [EvaluationSentence] = []
            for index in 0..<20 {
                sentences.append(EvaluationSentence(language: "nl", label: .crisis, topic: "t", text: "zwaluwstaart zwaluwstaart somber \(index)"))
                sentences.append(EvaluationSentence(language: "nl", label: .calm, topic: "t", text: "een gewone dag met thee \(index)"))
            }
            app.triggerEngine = TriggerEngine(model: TriggerModel.train(sentences, threshold: 0.9))
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, title: "Vraag", body: "Een zwaluwstaart, zo somber.")
            let post = try await ForumSteps.post(app, topic: topic, number: 1)
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$postID == post.id).first())
            #expect(item.kind == .trigger && item.summary.hasPrefix(TriggerEngine.modelPattern))
            #expect(try await Alert.query(on: app.db).count() == 0)
            #expect(post.screening != .held)
        }
    }
}
