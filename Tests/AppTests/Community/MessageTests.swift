import Fluent
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Steps of private messages, taken through the real routes.
enum MessageSteps {
    /// A member who may start conversations: joined four days ago, first post screened.
    static func ready(_ app: Application, pseudonym: String) async throws -> (TestBrowser, Member) {
        let (browser, member) = try await ForumSteps.loggedIn(app, pseudonym: pseudonym)
        _ = try await ForumSteps.startTopic(browser, title: "Hallo allemaal", body: "Ik ben nieuw hier.")
        let sql = app.db as! any SQLDatabase
        let id = try member.requireID()
        try await sql.raw("UPDATE posts SET screening = 'screened' WHERE author_id = \(bind: id)").run()
        // Four days on: the test's clock moves (moving the join date back would put it before the terms).
        (app.connect.clock as? ManualClock)?.advance(by: 4 * 86_400)
        return (browser, member)
    }

    /// Starts a conversation through POST /messages/new and returns its id.
    static func start(_ browser: TestBrowser, to: String, body: String) async throws -> Int {
        let response = try await browser.post("/messages/new", [("to", to), ("body", body)])
        guard response.status == .seeOther, let location = response.location, location.hasPrefix("/messages/"),
            let id = Int(location.dropFirst(10).prefix { $0.isNumber })
        else { throw FixtureError("starting a conversation failed: \(response.status) \(response.location ?? "") \(response.text.prefix(400))") }
        return id
    }

    @discardableResult
    static func send(_ browser: TestBrowser, in conversation: Int, _ body: String) async throws -> TestingHTTPResponse {
        try await browser.post("/messages/\(conversation)", [("body", body)])
    }
}

@Suite("Private messages", .serialized)
struct MessageTests {
    @Test("two members write to each other; nobody else reads it, moderators included; unread first and counted")
    func conversation() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await MessageSteps.ready(app, pseudonym: "Anna")
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (carla, _) = try await ForumSteps.loggedIn(app, pseudonym: "Carla")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let id = try await MessageSteps.start(anna, to: "Bram", body: "Hoi Bram, hoe gaat het met je? *lief* bedoeld")
            #expect(try await bram.get("/").text.contains("id=\"message-count\""))
            let list = try await bram.get("/messages").text
            #expect(list.contains("conversation-\(id)") && list.contains("Anna") && list.contains("Nieuw"))
            let page = try await bram.get("/messages/\(id)")
            #expect(page.status == .ok && page.text.contains("<em>lief</em>"))
            #expect(!(try await bram.get("/").text.contains("id=\"message-count\"")))
            // Bram, new himself, may answer a conversation he was asked into.
            #expect(try await MessageSteps.send(bram, in: id, "Goed hoor, dank je!").status == .seeOther)
            // One notification per conversation while unread, counted; never the text; no email by default.
            _ = try await MessageSteps.send(bram, in: id, "En met jou?")
            let notes = try await Notification.query(on: app.db).filter(\.$memberID == annaMember.requireID()).filter(\.$kind == .message).all()
            #expect(notes.count == 1 && notes.first?.count == 2 && notes.first?.emailState == Notification.EmailState.none)
            #expect(try await anna.get("/notifications").text.contains("2 nieuwe privéberichten, het laatste van Bram"))
            #expect(try await anna.get("/notifications/\(try notes[0].requireID().uuidString)/open").location == "/messages/\(id)")
            #expect(try await anna.get("/messages/\(id)").text.contains("Goed hoor, dank je!"))
            for outsider in [carla, moderator] {
                #expect(try await outsider.get("/messages/\(id)").status == .notFound)
                #expect(try await MessageSteps.send(outsider, in: id, "Mag ik meelezen?").status == .notFound)
                #expect(try await outsider.post("/messages/\(id)/leave", []).status == .notFound)
                #expect(!(try await outsider.get("/messages").text.contains("conversation-\(id)")))
                #expect(!(try await outsider.get("/messages?q=hoe").text.contains("Hoi Bram")))
            }
            #expect(try await carla.get("/messages/999999").status == .notFound)
            let message = try #require(try await Message.query(on: app.db).filter(\.$authorID == annaMember.requireID()).first())
            #expect(try await carla.get("/messages/report/\(try message.requireID())").status == .notFound)
            // Never in the forum's search, even for its members.
            #expect(!(try await bram.get("/search?q=Hoi").text.contains("Hoi Bram")))
            // Their own search finds it.
            #expect(try await bram.get("/messages?q=hoe%20gaat").text.contains("Hoi Bram"))
            _ = bramMember
        }
    }

    @Test("starting waits three days and a screened first post; the team always may; the text is kept")
    func whoMayStart() async throws {
        try await withConnectApp { app in
            let (newcomer, _) = try await ForumSteps.loggedIn(app, pseudonym: "Nieuw")
            _ = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let early = try await newcomer.post("/messages/new", [("to", "Bram"), ("body", "Mijn eerste bericht aan jou")])
            #expect(early.status == .forbidden && early.text.contains("not-yet") && early.text.contains("Mijn eerste bericht aan jou"))
            #expect(try await newcomer.get("/messages/new").text.contains("not-yet"))
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await MessageSteps.start(moderator, to: "Bram", body: "Welkom, Bram!") > 0)
        }
    }

    @Test("each member chooses who may write; a block stops the blocked member, who is not told")
    func policiesAndBlocks() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            let (bram, _) = try await MessageSteps.ready(app, pseudonym: "Bram")
            let (carla, _) = try await MessageSteps.ready(app, pseudonym: "Carla")
            #expect(try await carla.post("/settings/messages", [("policy", "nobody")]).status == .seeOther)
            let refused = try await anna.post("/messages/new", [("to", "Carla"), ("body", "Zin in een praatje?")])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("Zin in een praatje?"))
            let unknown = try await anna.post("/messages/new", [("to", "Niemand"), ("body", "Hallo?")])
            // The same answer for an unknown name: a choice or a block is never revealed.
            #expect(unknown.status == .unprocessableEntity)
            #expect(try await anna.post("/messages/new", [("to", "Bram, Carla"), ("body", "Groep")]).status == .unprocessableEntity)
            _ = try await carla.post("/settings/messages", [("policy", "known")])
            #expect(try await anna.post("/messages/new", [("to", "Carla"), ("body", "Nog eens")]).status == .unprocessableEntity)
            let fromCarla = try await MessageSteps.start(carla, to: "Anna", body: "Ik begin zelf wel")
            #expect(try await MessageSteps.start(anna, to: "Carla", body: "Nu kennen we elkaar") != fromCarla)
            // Bram blocks Anna: she can neither start nor answer in their conversation of two.
            let pair = try await MessageSteps.start(anna, to: "Bram", body: "Hoi Bram")
            #expect(try await bram.post("/settings/messages/block", [("who", "Anna")]).status == .seeOther)
            #expect(try await bram.get("/settings/messages").text.contains("Anna"))
            #expect(try await anna.post("/messages/new", [("to", "Bram"), ("body", "Nog een keer")]).status == .unprocessableEntity)
            #expect(try await MessageSteps.send(anna, in: pair, "Ben je boos?").status == .forbidden)
            #expect(try await anna.get("/messages/\(pair)").text.contains("cannot-write"))
            #expect(try await MessageSteps.send(bram, in: pair, "Ik wil even rust.").status == .seeOther)
            // Moderators cannot be blocked: they must always be able to reach a member.
            let (_, moderator) = try await ForumSteps.loggedIn(app, role: .moderator, pseudonym: "Moderator1")
            _ = moderator
            #expect(try await bram.post("/settings/messages/block", [("who", "Moderator1")]).status == .unprocessableEntity)
            _ = try await bram.post(
                "/settings/messages/unblock",
                [("id", try #require(try await Member.query(on: app.db).filter(\.$pseudonym == "Anna").first()?.id).uuidString)])
            #expect(try await MessageSteps.send(anna, in: pair, "Dank je.").status == .seeOther)
        }
    }

    @Test("a message sent after the session expired keeps its text and recipients")
    func keptText() async throws {
        try await withConnectApp { app in
            let (anna, annaMember) = try await MessageSteps.ready(app, pseudonym: "Anna")
            _ = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let id = try await MessageSteps.start(anna, to: "Bram", body: "Hoi")
            anna.forgetCookie(SessionAuthenticator.cookieName)
            let expired = try await anna.post("/messages/new", [("to", "Bram"), ("body", "Een lang bericht dat ik niet kwijt wil")])
            #expect(expired.location?.hasPrefix("/login") == true)
            try await Fixtures.logIn(anna, annaMember)
            let back = try await anna.get("/messages/new").text
            #expect(back.contains("Een lang bericht dat ik niet kwijt wil") && back.contains("value=\"Bram\""))
            anna.forgetCookie(SessionAuthenticator.cookieName)
            _ = try await anna.post("/messages/\(id)", [("body", "Mijn antwoord, bewaard")])
            try await Fixtures.logIn(anna, annaMember)
            #expect(try await anna.get("/messages/\(id)").text.contains("Mijn antwoord, bewaard"))
            let empty = try await anna.post("/messages/\(id)", [("body", "   ")])
            #expect(empty.status == .unprocessableEntity && empty.text.contains("form-errors"))
        }
    }

    @Test("at most five new conversations a day")
    func rateLimit() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            for i in 0..<6 { _ = try await ForumSteps.loggedIn(app, pseudonym: "Lid\(i)") }
            for i in 0..<5 { _ = try await MessageSteps.start(anna, to: "Lid\(i)", body: "Hoi \(i)") }
            #expect(try await anna.post("/messages/new", [("to", "Lid5"), ("body", "Hoi 5")]).status == .tooManyRequests)
        }
    }

    @Test("crisis words alert the moderators with the writer, time and words only; the writer sees the help")
    func crisis() async throws {
        try await withConnectApp(adjust: { $0.moderatorAlertEmail = "moderators@example.org" }) { app in
            let (anna, annaMember) = try await MessageSteps.ready(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let id = try await MessageSteps.start(anna, to: "Bram", body: "Over de vakantie naar Texel wil ik je iets vertellen.")
            let response = try await MessageSteps.send(anna, in: id, "Ik zie het niet meer zitten, ik wil er een eind aan maken")
            #expect(response.location == "/support?conversation=\(id)")
            let support = try await anna.get(try #require(response.location)).text
            #expect(support.contains("crisis-help") && support.contains("niet je gesprek") && support.contains("href=\"/messages/\(id)\""))
            // Someone else's conversation id leads nowhere from there.
            #expect(!(try await TestBrowser(app).get("/support?conversation=\(id)").text.contains("/messages/\(id)")))
            let alert = try #require(try await Alert.query(on: app.db).first())
            #expect(alert.memberID == annaMember.id && alert.postID == nil && alert.excerpt.contains("eind aan maken"))
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind == .crisis).count() == 1)
            let mail = try #require(try await Fixtures.lastMail(app, to: "moderators@example.org"))
            #expect(mail.textBody.contains("eind aan maken") && mail.textBody.contains("privébericht"))
            #expect(!mail.textBody.contains("Texel") && !mail.textBody.contains("/messages/"))
            // The message itself was sent: Bram reads it.
            #expect(try await bram.get("/messages/\(id)").text.contains("eind aan maken"))
        }
    }

    @Test("the privacy nudge asks first; sending anyway puts nothing in the moderators' queue")
    func privacy() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            _ = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let nudge = try await anna.post("/messages/new", [("to", "Bram"), ("body", "Bel me gerust op 06-12345678")])
            #expect(nudge.status == .ok && nudge.text.contains("privacy-nudge") && nudge.text.contains("06-12345678"))
            #expect(try await Message.query(on: app.db).count() == 0)
            let sent = try await anna.post("/messages/new", [("to", "Bram"), ("body", "Bel me gerust op 06-12345678"), ("privacy_ok", "1")])
            #expect(sent.status == .seeOther)
            #expect(try await ReviewItem.query(on: app.db).filter(\.$kind != .welcome).count() == 0)
        }
    }

    @Test("a reported message shows moderators it and the ten before it, nothing more, and the look is audited")
    func report() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let id = try await MessageSteps.start(anna, to: "Bram", body: "Bericht nummer 0")
            for i in 1...12 { _ = try await MessageSteps.send(i.isMultiple(of: 2) ? anna : bram, in: id, "Bericht nummer \(i)") }
            let reported = try #require(try await Message.query(on: app.db).filter(\.$bodyMarkdown == "Bericht nummer 12").first())
            let messageID = try reported.requireID()
            #expect(try await anna.get("/messages/report/\(messageID)").status == .notFound)  // her own
            #expect(try await bram.post("/messages/report/\(messageID)", [("reason", "disrespectful")]).status == .seeOther)
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .messageReport).first())
            #expect(item.messageID == messageID)
            #expect(try await moderator.get("/mod/queue").text.contains("/mod/messages/reports/\(try item.requireID().uuidString)"))
            #expect(try await bram.get("/mod/messages/reports/\(try item.requireID().uuidString)").status == .forbidden)
            let look = try await moderator.get("/mod/messages/reports/\(try item.requireID().uuidString)")
            #expect(look.status == .ok)
            for i in 2...12 { #expect(look.text.contains("Bericht nummer \(i)<"), "message \(i)") }
            #expect(!look.text.contains("Bericht nummer 1<") && !look.text.contains("Bericht nummer 0<"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "message.report.view").all()
            #expect(audit.count == 1 && audit.first?.target == "message:\(messageID)")
            // The moderator still cannot open the conversation itself.
            #expect(try await moderator.get("/messages/\(id)").status == .notFound)
            #expect(try await moderator.get("/mod/messages/reports/\(UUID().uuidString)").status == .notFound)
        }
    }

    @Test("a moderator's message to a member arrives as a conversation from the moderators, which the member answers")
    func fromModerators() async throws {
        try await withConnectApp { app in
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (colleague, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let act = try await moderator.post(
                "/mod/members/\(try bramMember.requireID().uuidString)/act", [("kind", "message"), ("reason", "Hoe gaat het nu met je?")])
            #expect(act.status == .seeOther)
            let conversation = try #require(try await Conversation.query(on: app.db).first())
            #expect(conversation.fromModerators)
            let id = try conversation.requireID()
            let page = try await bram.get("/messages/\(id)").text
            #expect(page.contains("Hoe gaat het nu met je?") && page.contains("Een gesprek met de moderatoren"))
            #expect(try await MessageSteps.send(bram, in: id, "Beter, dank jullie.").status == .seeOther)
            // Every moderator reads and answers it, as the team.
            #expect(try await colleague.get("/messages/\(id)").text.contains("Beter, dank jullie."))
        }
    }

    @Test("the export holds messages sent and received; erasure removes the text and the name, the others keep theirs")
    func dataRights() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, annaMember) = try await MessageSteps.ready(app, pseudonym: "Anna")
            let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let id = try await MessageSteps.start(anna, to: "Bram", body: "Van Anna")
            _ = try await MessageSteps.send(bram, in: id, "Van Bram")
            let contents = try #require(try await ExportContents.gather(memberID: annaMember.requireID(), on: app.db) { _ in })
            #expect(contents.messages.map(\.text) == ["Van Anna", "Van Bram"])
            #expect(contents.messages.map(\.from) == [nil, "Bram"])
            #expect(try await anna.post("/settings/leave", [("choice", "keep_posts"), ("password", goodPassword)]).status == .ok)
            clock.advance(by: 8 * 86_400)
            #expect(try await AccountErasure(database: app.db, clock: clock).run() == 1)
            let page = try await bram.get("/messages/\(id)").text
            #expect(page.contains("Van Bram") && !page.contains("Van Anna") && !page.contains("Anna<"))
            _ = bramMember
        }
    }

    @Test("new messages arrive live over the stream, for the conversation's members only")
    func live() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let (carla, _) = try await ForumSteps.loggedIn(app, pseudonym: "Carla")
            let id = try await MessageSteps.start(anna, to: "Bram", body: "Eerste bericht")
            let page = try await bram.get("/messages/\(id)").text
            let first = try #require(try await Message.query(on: app.db).first()?.requireID())
            #expect(page.contains("data-live=\"/live?conversation=\(id)&amp;after=\(first)\""))
            _ = try await MessageSteps.send(anna, in: id, "Live *erbij*")
            let stream = try await bram.get("/live?conversation=\(id)&after=\(first)&once=1").text
            #expect(stream.contains("event: message") && stream.contains("<em>erbij<\\/em>") && stream.contains("Anna"), "\(stream)")
            let outsider = try await carla.get("/live?conversation=\(id)&after=0&once=1").text
            #expect(!outsider.contains("event: message") && !outsider.contains("erbij"))
        }
    }

    @Test("the conversation list pages through every conversation once: unread first, then the latest")
    func listPages() async throws {
        try await withConnectApp(adjust: { $0.rateLimits = $0.rateLimits.scaled(by: 100) }) { app in
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            var ids: [Int] = []
            for i in 0..<(MessageQueries.listSize + 8) {
                let (other, _) = try await ForumSteps.loggedIn(app, pseudonym: "Lid\(i)")
                let id = try await MessageSteps.start(anna, to: "Lid\(i)", body: "Start \(i)")
                // Every third one has an answer Anna has not read yet.
                if i.isMultiple(of: 3) { _ = try await MessageSteps.send(other, in: id, "Terug \(i)") }
                ids.append(id)
            }
            var seen: [Int] = []
            var path: String? = "/messages"
            while let next = path {
                let page = try await anna.get(next).text
                seen += ids.filter { page.contains("id=\"conversation-\($0)\"") }
                path = page.range(of: "/messages\\?after=[^\"]+", options: .regularExpression).map {
                    String(page[$0]).replacingOccurrences(of: "&amp;", with: "&")
                }
            }
            #expect(seen.count == ids.count && Set(seen) == Set(ids), "\(seen.count) of \(ids.count)")
            // Unread ones come first.
            let first = try await anna.get("/messages").text
            let unread = ids.enumerated().filter { $0.offset.isMultiple(of: 3) }.map(\.element)
            #expect(unread.allSatisfy { first.contains("id=\"conversation-\($0)\"") })
        }
    }

    @Test("the conversation list and a conversation page run a fixed number of queries")
    func queryCounts() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            try await app.db.transaction { _ in }
            for i in 0..<8 { _ = try await ForumSteps.loggedIn(app, pseudonym: "Lid\(i)") }
            let first = try await MessageSteps.start(anna, to: "Lid0", body: "Eerste")
            _ = try await anna.get("/messages")
            counter.reset()
            _ = try await anna.get("/messages")
            let listOne = counter.count
            _ = try await anna.get("/messages/\(first)")
            counter.reset()
            _ = try await anna.get("/messages/\(first)")
            let pageOne = counter.count
            for i in 1..<5 { _ = try await MessageSteps.start(anna, to: "Lid\(i), Lid\(i + 3)", body: "Groep \(i)") }
            for i in 0..<60 { _ = try await MessageSteps.send(anna, in: first, "Bericht \(i)") }
            _ = try await anna.get("/messages")
            counter.reset()
            _ = try await anna.get("/messages")
            #expect(counter.count == listOne, "\(counter.statements)")
            _ = try await anna.get("/messages/\(first)")
            counter.reset()
            let full = try await anna.get("/messages/\(first)")
            #expect(counter.count == pageOne, "\(counter.statements)")
            #expect(full.text.contains("older-messages") && full.text.contains("Bericht 59") && !full.text.contains("Bericht 9<"))
        }
    }
}
