import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Moderators act on posts and members", .serialized)
struct ModerationActionTests {
    @Test("a hidden post shows its reason to its author only; the action is audited")
    func hidePost() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            // Published past the privacy nudge, as a member may choose to.
            _ = try await anna.post("/t/\(topic)/reply", [("body", "Mijn psychiater dokter Jansen zei dat"), ("privacy_ok", "1")])
            let post = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)

            let empty = try await moderator.post("/mod/posts/\(post)/hide", [("reason", " ")])
            #expect(empty.status == .unprocessableEntity)
            #expect(try await ForumSteps.post(app, topic: topic, number: 2).screening == .unscreened)

            #expect(try await moderator.post("/mod/posts/\(post)/hide", [("reason", "Naam van een behandelaar")]).status == .seeOther)
            let authorView = try await anna.get("/t/\(topic)").text
            #expect(authorView.contains("Naam van een behandelaar"))
            let otherView = try await bram.get("/t/\(topic)").text
            #expect(!otherView.contains("Naam van een behandelaar"))
            #expect(!otherView.contains("dokter Jansen"))
            #expect(try await anna.get("/notices").text.contains("Naam van een behandelaar"))
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "post.hide").first())
            #expect(audit.subjectMemberID == annaMember.id)
            #expect(audit.reason == "Naam van een behandelaar")
            #expect(audit.beforeText == "unscreened" && audit.afterText == "hidden")

            #expect(try await moderator.post("/mod/posts/\(post)/restore", [("reason", "Naam aangepast")]).status == .seeOther)
            #expect(try await bram.get("/t/\(topic)").text.contains("dokter Jansen"))
            #expect(try await ModerationSteps.auditActions(app).contains("post.restore"))
        }
    }

    @Test("a moderator whose session expired while typing a reason finds it back on the post's page after logging in")
    func expiredSessionKeepsReason() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let post = try await ForumSteps.post(app, topic: topic, number: 1).requireID()
            let (moderator, modMember) = try await ForumSteps.loggedIn(app, role: .moderator)
            moderator.forgetCookie(SessionAuthenticator.cookieName)
            let sent = try await moderator.post(
                "/mod/posts/\(post)/hide",
                [
                    ("reason", "Persoonlijke gegevens van een ander"),
                    ("_return", "/mod/posts/\(post)"), ("_form", "hide"),
                ])
            #expect(sent.location == "/login?next=/mod/posts/\(post)")
            #expect(try await ForumSteps.post(app, topic: topic, number: 1).screening == .unscreened)
            // The clock has not moved: wait for the next TOTP step so the code is fresh.
            (app.connect.clock as? ManualClock)?.advance(by: 30)
            try await Fixtures.logIn(moderator, modMember)
            let page = try await moderator.get("/mod/posts/\(post)")
            #expect(page.text.contains("value=\"Persoonlijke gegevens van een ander\""))
            // Only once, and only in the form it was typed in.
            #expect(!(try await moderator.get("/mod/posts/\(post)")).text.contains("Persoonlijke gegevens van een ander"))
        }
    }

    @Test("referring a post to sources puts a note with the source link under it")
    func refer() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna, body: "Antidepressiva maken je verslaafd, weet iedereen.")
            let post = try await ForumSteps.post(app, topic: topic, number: 1).requireID()
            let source = try await ModerationSteps.source(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let missing = try await moderator.post("/mod/posts/\(post)/refer", [("note", "Zie de bron")])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Zie de bron"))
            let response = try await moderator.post(
                "/mod/posts/\(post)/refer",
                [
                    ("note", "Meer weten? <b>Lees</b> dit"),
                    ("source[]", try source.requireID().uuidString),
                ])
            #expect(response.status == .seeOther)
            let page = try await anna.get("/t/\(topic)").text
            #expect(page.contains("moderator-note"))
            #expect(page.contains("https://www.thuisarts.nl/depressie"))
            #expect(page.contains("&lt;b&gt;Lees&lt;/b&gt;"))
            #expect(try await ModerationSteps.auditActions(app).contains("post.refer"))
        }
    }

    @Test("a silenced member reads but cannot post, and keeps what they typed")
    func silence() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, bramMember) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let id = try bramMember.requireID().uuidString

            let invalid = try await moderator.post("/mod/members/\(id)/act", [("kind", "silence"), ("days", "5"), ("reason", "Bleef kwetsend")])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.text.contains("Bleef kwetsend"))
            #expect(
                try await moderator.post("/mod/members/\(id)/act", [("kind", "silence"), ("days", "1"), ("reason", "Bleef kwetsend")]).status
                    == .seeOther)

            let read = try await bram.get("/t/\(topic)")
            #expect(read.status == .ok)
            #expect(read.text.contains("silenced-notice"))
            let blocked = try await bram.post("/t/\(topic)/reply", [("body", "Mijn lange getypte reactie")])
            #expect(blocked.status == .forbidden)
            #expect(blocked.text.contains("Mijn lange getypte reactie"))
            #expect(try await bram.get("/t/new").status == .forbidden)
            #expect(try await Post.query(on: app.db).count() == 1)
            #expect(try await bram.get("/notices").text.contains("Bleef kwetsend"))
            #expect(try await Fixtures.lastMail(app, to: bramMember.email) != nil)

            clock.advance(by: 86_400 + 60)
            #expect(try await bram.post("/t/\(topic)/reply", [("body", "Weer terug")]).status == .seeOther)
            #expect(try await ModerationSteps.auditActions(app).contains("member.silence"))
        }
    }

    @Test("a suspended member is logged out and cannot log in until it is lifted")
    func suspend() async throws {
        try await withConnectApp { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let id = try bramMember.requireID().uuidString
            #expect(
                try await moderator.post("/mod/members/\(id)/act", [("kind", "suspend"), ("days", "0"), ("reason", "Herhaalde bedreigingen")]).status
                    == .seeOther)
            #expect(try await bram.get("/").text.contains("visitor-home"))
            let again = TestBrowser(app)
            let refused = try await again.post("/login", [("email", bramMember.email), ("password", goodPassword), ("next", "/")])
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("suspended-notice"))
            #expect(
                try await moderator.post("/mod/members/\(id)/act", [("kind", "lift"), ("days", "1"), ("reason", "Gesprek gehad")]).status == .seeOther
            )
            try await Fixtures.logIn(again, bramMember)
            #expect(try await again.get("/").text.contains("member-home"))
        }
    }

    @Test("a moderator cannot act on a team member or on themself; an admin can")
    func teamMembers() async throws {
        try await withConnectApp { app in
            let (moderator, me) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (_, colleague) = try await ForumSteps.loggedIn(app, role: .moderator)
            // Details of and actions on the team are for admins only: a moderator is refused outright.
            for target in [me, colleague] {
                let response = try await moderator.post(
                    "/mod/members/\(try target.requireID().uuidString)/act",
                    [("kind", "silence"), ("days", "1"), ("reason", "Test")])
                #expect(response.status == .forbidden)
            }
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(
                try await admin.post(
                    "/mod/members/\(try colleague.requireID().uuidString)/act",
                    [("kind", "warn"), ("days", "1"), ("reason", "Let op je toon")]
                ).status == .seeOther)
        }
    }

    @Test("opening contact details needs a reason and every look is logged")
    func contactDetails() async throws {
        try await withConnectApp { app in
            let (_, anna) = try await ForumSteps.loggedIn(app)
            let (moderator, modMember) = try await ForumSteps.loggedIn(app, role: .moderator)
            let id = try anna.requireID().uuidString
            let page = try await moderator.get("/mod/members/\(id)")
            #expect(!page.text.contains(anna.email))
            #expect(try await moderator.post("/mod/members/\(id)/contact", [("reason", "")]).status == .unprocessableEntity)
            let shown = try await moderator.post("/mod/members/\(id)/contact", [("reason", "Crisis: contact opnemen")])
            #expect(shown.text.contains(anna.email))
            let look = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "contact.view").first())
            #expect(look.actorID == modMember.id && look.subjectMemberID == anna.id && look.reason == "Crisis: contact opnemen")
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(try await admin.get("/admin/audit?action=contact.view").text.contains("Crisis: contact opnemen"))
        }
    }
}

@Suite("Moderators edit and remove posts, and give reasons for topic changes", .serialized)
struct ModeratorEditTests {
    @Test("a moderator's edit shows 'edited by a moderator' and keeps the original for moderators")
    func edit() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post(
                "/t/new",
                [
                    ("category", "living-with-depression"), ("title", "Praten"),
                    ("body", "Bel 06-12345678 als je wilt praten"), ("privacy_ok", "1"),
                ])
            let topic = try #require(try await Topic.query(on: app.db).first()).requireID()
            let post = try await ForumSteps.post(app, topic: topic, number: 1).requireID()
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let bad = try await moderator.post("/mod/posts/\(post)/edit", [("body", "Bel me als je wilt praten"), ("reason", "")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Bel me als je wilt praten"))
            #expect(
                try await moderator.post("/mod/posts/\(post)/edit", [("body", "Bel me als je wilt praten"), ("reason", "Telefoonnummer weggehaald")])
                    .status == .seeOther)
            let page = try await anna.get("/t/\(topic)").text
            #expect(!page.contains("06-12345678"))
            #expect(page.contains("bewerkt door een moderator"))
            #expect(try await moderator.get("/p/\(post)/history").text.contains("06-12345678"))
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "post.edit").first())
            #expect(audit.beforeText?.contains("06-12345678") == true && audit.afterText == "Bel me als je wilt praten")
        }
    }

    @Test("a removed post shows 'removed by a moderator'; its author sees why; closing a topic needs a reason")
    func removeAndClose() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await ForumSteps.reply(bram, topic: topic, body: "Zo doe je het: methode X")
            let post = try await ForumSteps.post(app, topic: topic, number: 2).requireID()
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.post("/mod/posts/\(post)/remove", [("reason", "Informatie over methoden")]).status == .seeOther)
            #expect(try await ForumSteps.post(app, topic: topic, number: 2).screening == .removedByModerator)
            let annaView = try await anna.get("/t/\(topic)").text
            #expect(!annaView.contains("methode X") && !annaView.contains("Informatie over methoden"))
            #expect(try await bram.get("/t/\(topic)").text.contains("Informatie over methoden"))

            #expect(try await moderator.post("/t/\(topic)/close", []).status == .seeOther)
            #expect(try await Topic.find(topic, on: app.db)?.closed == false)
            _ = try await moderator.post("/t/\(topic)/close", [("reason", "Uitgepraat")])
            #expect(try await Topic.find(topic, on: app.db)?.closed == true)
            let audit = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == "topic.close").first())
            #expect(audit.reason == "Uitgepraat" && audit.afterText?.contains("closed=true") == true)
        }
    }
}
