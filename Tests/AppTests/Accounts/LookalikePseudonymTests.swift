import Fluent
import SQLKit
import Testing
import TextRules
import VaporTesting

@testable import App

@Suite("Look-alike pseudonyms cannot pass for members or the team", .serialized)
struct LookalikePseudonymTests {
    /// Each look-alike, and the problem the member is told about.
    static let lookalikes: [(typed: String, key: String)] = [
        ("DemoModer\u{0430}tor", "signup.error.pseudonym_mixed_scripts"),  // Cyrillic а
        ("\u{0410}dmin", "signup.error.pseudonym_mixed_scripts"),  // Cyrillic А
        ("C\u{0430}lmMeeuw590-1", "signup.error.pseudonym_mixed_scripts"),  // another member's name, Cyrillic а
        ("DemoModerato\u{0301}r", "signup.error.pseudonym_reserved"),  // combining accent
        ("Demo  Moderator", "signup.error.pseudonym_reserved"),  // double space
        ("\u{13A0}emoModerator", "signup.error.pseudonym_mixed_scripts"),  // Cherokee Ꭰ
        ("\u{1D403}emoModerator", "signup.error.pseudonym_reserved"),  // mathematical bold 𝐃
        ("DemoM\u{03BF}derator", "signup.error.pseudonym_mixed_scripts"),  // Greek ο
        ("...", "signup.error.pseudonym_needs_letter"),
        ("\u{3164}\u{3164}\u{3164}", "signup.error.pseudonym_invisible"),  // Hangul filler, shows blank
        // Valid on their own, but the same picture as a member's name.
        ("CalmMeeuw59O-l", "signup.error.pseudonym_taken"),
        ("calm_meeuw_590_1", "signup.error.pseudonym_taken"),
        ("Т\u{043E}\u{043C}", "signup.error.pseudonym_taken"),  // all Cyrillic "Том" for "Tom"
    ]

    func signupFields(_ pseudonym: String, email: String = "nieuw@example.org") -> [(String, String)] {
        [
            ("email", email), ("pseudonym", pseudonym), ("password", goodPassword),
            ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
        ]
    }

    /// The members the look-alikes imitate.
    func seedMembers(_ app: Application) async throws {
        try await Fixtures.member(app, pseudonym: "DemoModerator", role: .moderator)
        try await Fixtures.member(app, pseudonym: "CalmMeeuw590-1")
        try await Fixtures.member(app, pseudonym: "Tom")
    }

    /// The page came back refused, with the form, the typed name and a kind message.
    func expectRefused(_ response: TestingHTTPResponse, typed: String, field: String, key: String, app: Application) {
        #expect(response.status == .unprocessableEntity, "\(typed)")
        let html = response.text
        #expect(html.contains("value=\"\(HTMLEscaping.attribute(typed))\""), "\(typed)")
        #expect(html.contains("id=\"\(field)-error\""), "\(typed)")
        #expect(html.contains(HTMLEscaping.text(app.connect.localizer.text(key, .nl))), "\(typed): \(key)")
    }

    @Test(
        "signing up with a look-alike of a member's name or of the team is refused, with the form and the typed name",
        arguments: lookalikes.indices)
    func signup(index: Int) async throws {
        let (typed, key) = Self.lookalikes[index]
        try await withConnectApp { app in
            try await seedMembers(app)
            let response = try await TestBrowser(app).post("/signup", signupFields(typed))
            #expect(response.text.contains("id=\"signup-form\""))
            expectRefused(response, typed: typed, field: "pseudonym", key: key, app: app)
            #expect(try await Member.query(on: app.db).count() == 3)
        }
    }

    @Test(
        "changing one's pseudonym to a look-alike is refused, with the typed name; the old name stays",
        arguments: lookalikes.indices)
    func change(index: Int) async throws {
        let (typed, key) = Self.lookalikes[index]
        try await withConnectApp { app in
            try await seedMembers(app)
            let (browser, member) = try await ForumSteps.loggedIn(app, pseudonym: "Kraanvogel")
            let response = try await browser.post("/settings/pseudonym", [("new_pseudonym", typed)])
            expectRefused(response, typed: typed, field: "new_pseudonym", key: key, app: app)
            #expect(try await Member.find(member.id, on: app.db)?.pseudonym == "Kraanvogel")
        }
    }

    @Test("a name is stored normalised with its skeleton; a different name is still free")
    func normalisedAndFree() async throws {
        try await withConnectApp { app in
            try await seedMembers(app)
            let response = try await TestBrowser(app).post("/signup", signupFields("  Quiet \u{FF28}eron  "))
            #expect(response.status == .ok && response.text.contains("id=\"signup-done\""))
            let member = try #require(try await Member.query(on: app.db).filter(\.$email == "nieuw@example.org").first())
            #expect(member.pseudonym == "Quiet Heron")
            #expect(member.pseudonymSkeleton == PseudonymRules.skeleton(of: "quietheron"))
        }
    }

    @Test("a look-alike of a name given up stays reserved for 90 days")
    func reservedLookalike() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (browser, _) = try await ForumSteps.loggedIn(app, pseudonym: "Kraanvogel")
            #expect(try await browser.post("/settings/pseudonym", [("new_pseudonym", "Zilverreiger")]).status == .seeOther)
            let reservation = try #require(try await ReservedPseudonym.query(on: app.db).first())
            #expect(reservation.pseudonymSkeleton == PseudonymRules.skeleton(of: "Kraanvogel"))

            let (other, _) = try await ForumSteps.loggedIn(app)
            for lookalike in ["KraanvogeI", "Kraan-Vogel", "kraan_vogel"] {
                let refused = try await other.post("/settings/pseudonym", [("new_pseudonym", lookalike)])
                #expect(refused.status == .unprocessableEntity, "\(lookalike)")
            }
            let signup = try await TestBrowser(app).post("/signup", signupFields("kraan vogel"))
            #expect(signup.status == .unprocessableEntity)

            clock.advance(by: 91 * 86_400)
            #expect(try await other.post("/settings/pseudonym", [("new_pseudonym", "Kraan-Vogel")]).status == .seeOther)
        }
    }

    @Test("the team may use the team's words; a look-alike of a team member's name is still refused")
    func teamWords() async throws {
        try await withConnectApp { app in
            try await seedMembers(app)
            let (moderator, member) = try await ForumSteps.loggedIn(app, role: .moderator, pseudonym: "Anna")
            #expect(try await moderator.post("/settings/pseudonym", [("new_pseudonym", "Moderator Anna")]).status == .seeOther)
            #expect(try await Member.find(member.id, on: app.db)?.pseudonym == "Moderator Anna")
            let (other, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(try await other.post("/settings/pseudonym", [("new_pseudonym", "Demo Moderator")]).status == .unprocessableEntity)
        }
    }

    @Test("moderators and administrators carry a team badge beside their name in topics, lists, profiles, notifications and live posts")
    func teamBadge() async throws {
        try await withConnectApp { app in
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator, pseudonym: "Roos")
            let topic = try await ForumSteps.startTopic(moderator, title: "Welkom in het forum")
            let (member, _) = try await ForumSteps.loggedIn(app, pseudonym: "Merel")
            try await ForumSteps.reply(member, topic: topic, body: "Dank je, fijn om hier te zijn.")

            let page = try await member.get("/t/\(topic)")
            #expect(page.status == .ok)
            let html = page.text
            let badge =
                "<span class=\"team-badge\">\(app.connect.localizer.text("team.badge.moderator", .nl))"
                + "<span class=\"visually-hidden\">\(HTMLEscaping.text(app.connect.localizer.text("team.badge_hint", .nl)))</span></span>"
            // The name keeps its id on its own; the badge has one the article's label points at.
            let postBadge = badge.replacingOccurrences(of: "class=\"team-badge\"", with: "class=\"team-badge\" id=\"post-1-badge\"")
            // The name links to the profile; the badge follows the link.
            #expect(html.contains("<a class=\"author-link\" href=\"/u/Roos\"><span id=\"post-1-author\">Roos</span></a> \(postBadge)"))
            #expect(html.contains("aria-labelledby=\"post-1-author post-1-badge\""))
            #expect(html.contains("<span id=\"post-2-author\">Merel</span></a></span>"))
            #expect(html.contains("aria-labelledby=\"post-2-author\">"))
            #expect(html.components(separatedBy: "class=\"team-badge\"").count == 2)

            let list = try await member.get("/c/living-with-depression").text
            #expect(list.contains("href=\"/u/Roos\">Roos</a> \(badge)"))
            #expect(try await member.get("/u/Roos").text.contains("Roos \(badge)"))
            #expect(!(try await member.get("/u/Merel").text.contains("class=\"team-badge\"")))

            // The moderator answers the member's own topic: the notification names the team too.
            let own = try await ForumSteps.startTopic(member, title: "Een vraag over slapen")
            try await ForumSteps.reply(moderator, topic: own, body: "Goede vraag, fijn dat je hem stelt.")
            #expect(try await member.get("/notifications").text.contains("Roos \(badge) reageerde"))
            #expect(!(try await moderator.get("/notifications").text.contains("class=\"team-badge\"")))
            // And a reply that arrives live carries it as well.
            let live = try await member.get("/live?topic=\(own)&after=1&once=1").text
            #expect(live.contains("\"badge\":\"Moderator\"") && live.contains("\"author\":\"Roos\""))
        }
    }

    @Test("the migration fills skeletons for existing members; earlier look-alikes keep their names")
    func migrationFillsSkeletons() async throws {
        try await withConnectApp { app in
            let first = try await Fixtures.member(app, pseudonym: "Zeeduif")
            let migration = M023_AddPseudonymSkeletons()
            // One connection throughout: another SQLite connection may still hold the schema
            // from before the revert, and its ADD COLUMN would find the old column.
            try await app.db.withConnection { db in
                try await migration.revert(on: db)
                // Written before skeletons existed: a look-alike of the first member, and a reservation.
                let sql = db as! any SQLDatabase
                let later = UUID()
                try await sql.insert(into: "members")
                    .columns("id", "email", "password_hash", "pseudonym", "pseudonym_key", "role", "time_zone", "created_at")
                    .values(
                        SQLBind(later), SQLBind("later@example.org"), SQLBind("!"), SQLBind("Zeedu\u{0456}f"), SQLBind("zeedu\u{0456}f"),
                        SQLBind("member"), SQLBind("Europe/Amsterdam"), SQLBind(first.createdAt.addingTimeInterval(60))
                    )
                    .run()
                try await sql.insert(into: "reserved_pseudonyms").columns("id", "pseudonym_key", "member_id", "reserved_until")
                    .values(SQLBind(UUID()), SQLBind("oude naam"), SQLBind(later), SQLBind(first.createdAt.addingTimeInterval(86_400)))
                    .run()
                try await migration.prepare(on: db)

                #expect(try await Member.find(first.id, on: db)?.pseudonymSkeleton == PseudonymRules.skeleton(of: "Zeeduif"))
                let skeleton = try #require(try await Member.find(later, on: db)?.pseudonymSkeleton)
                #expect(skeleton.hasPrefix(PseudonymRules.skeleton(of: "Zeeduif") + "~"))
                #expect(try await ReservedPseudonym.query(on: db).first()?.pseudonymSkeleton == PseudonymRules.skeleton(of: "Oude-Naam"))
                // The index holds: a look-alike with a key of its own cannot be written.
                await #expect(throws: (any Error).self) {
                    try await Member(
                        email: "x@example.org", passwordHash: "!", pseudonym: "Zeedu1f", realName: nil, role: .member,
                        locale: nil, createdAt: first.createdAt
                    ).create(on: db)
                }
            }
        }
    }
}
