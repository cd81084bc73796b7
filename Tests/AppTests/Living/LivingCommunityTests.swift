import Fluent
import Foundation
import Testing
import TextRules
import VaporTesting

@testable import App

@Suite("A living community: avatars, latest activity, readable times, the team's own navigation")
struct LivingCommunityTests {
    @Test("a member chooses their picture's colour or none; the choice shows beside their posts; nonsense is refused kindly")
    func avatarChoice() async throws {
        try await withConnectApp { app in
            let (anna, member) = try await ForumSteps.loggedIn(app, pseudonym: "AnnaVos")
            let derived = AvatarRules.colour(for: "AnnaVos")
            let topic = try await ForumSteps.startTopic(anna, title: "Een rustige dag")
            #expect(
                try await anna.get("/t/\(topic)").text.contains(
                    "<span class=\"avatar avatar-small avatar-\(derived)\" aria-hidden=\"true\">AV</span>"))

            let page = try await anna.get("/settings/avatar")
            #expect(page.status == .ok && page.text.contains("id=\"colour-auto\" name=\"colour\" value=\"auto\" checked"))
            let other = AvatarRules.colours.first { $0 != derived }!
            let saved = try await anna.post("/settings/avatar", [("colour", other)])
            #expect(saved.status == .seeOther && saved.location == "/settings/avatar")
            #expect(try await Member.find(member.id, on: app.db)?.avatarColour == other)
            #expect(try await anna.get("/t/\(topic)").text.contains("avatar-small avatar-\(other)\""))

            #expect(try await anna.post("/settings/avatar", [("colour", "none")]).status == .seeOther)
            let none = try await anna.get("/t/\(topic)").text
            #expect(!none.contains("class=\"avatar avatar-small"), "no picture anywhere for a member who chose none")
            #expect(try await Member.find(member.id, on: app.db)?.avatarColour == "none")

            // Anything else is refused on the same page, and nothing changes.
            let refused = try await anna.post("/settings/avatar", [("colour", "<script>")])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("id=\"error-summary\""))
            #expect(!refused.text.contains("<script>"))
            #expect(try await Member.find(member.id, on: app.db)?.avatarColour == "none")
            #expect(try await anna.post("/settings/avatar", [("colour", "auto")]).status == .seeOther)
            #expect(try await Member.find(member.id, on: app.db)?.avatarColour == nil)

            // Without the form's token, or without an account, nothing happens.
            #expect(try await anna.post("/settings/avatar", [("colour", "sky")], includeCSRF: false).status == .forbidden)
            let visitor = TestBrowser(app)
            #expect(try await visitor.get("/settings/avatar").location?.hasPrefix("/login") == true)
            let visitorPost = try await visitor.post("/settings/avatar", [("colour", "sky")])
            #expect(visitorPost.status == .forbidden || visitorPost.location?.hasPrefix("/login") == true)
            #expect(try await Member.find(member.id, on: app.db)?.avatarColour == nil)
        }
    }

    @Test("the member home shows the latest topics with theme, reply count and time ago, and a calm sentence on a quiet day")
    func homeLatestActivity() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            let quiet = try await anna.get("/").text
            #expect(quiet.contains("Het is op dit moment rustig hier."))
            #expect(quiet.contains("href=\"/t/new\""))
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let topic = try await ForumSteps.startTopic(bram, title: "Wandelen helpt")
            clock.advance(by: 3 * 3600)
            let home = try await anna.get("/").text
            let list = try #require(home.components(separatedBy: "id=\"latest-list\"").dropFirst().first?.components(separatedBy: "</ul>").first)
            #expect(list.contains("Wandelen helpt") && list.contains("forum-row unread"))
            #expect(list.contains("nog geen reacties") && list.contains("3 uur geleden"))
            #expect(list.contains("href=\"/u/Bram\">Bram</a>"))
            try await ForumSteps.reply(anna, topic: topic, body: "Dat herken ik, wandelen doet mij ook goed.")
            let after = try await bram.get("/").text
            #expect(after.contains("1 reactie"))
        }
    }

    @Test("relative times and day names follow the reader's language", arguments: AppLocale.allCases)
    func relativeTimes(locale: AppLocale) async throws {
        try await withConnectApp { app in
            let t = Translator(localizer: app.connect.localizer, locale: locale)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let expected: [(TimeInterval, [AppLocale: String])] = [
                (20, [.nl: "zojuist", .en: "just now"]), (60, [.nl: "1 minuut geleden", .en: "1 minute ago"]),
                (5 * 60, [.nl: "5 minuten geleden", .en: "5 minutes ago"]), (3600, [.nl: "1 uur geleden", .en: "1 hour ago"]),
                (30 * 3600, [.nl: "gisteren", .en: "yesterday"]), (3 * 86_400, [.nl: "3 dagen geleden", .en: "3 days ago"]),
            ]
            for (ago, text) in expected { #expect(RelativeTime.text(now.addingTimeInterval(-ago), now: now, t: t) == text[locale]) }
            #expect(NotificationsPage.dayName(DateFormatting.dayStart(now), now: now, t: t) == (locale == .nl ? "Vandaag" : "Today"))
        }
    }

    @Test("an administrator's members table shows each account's status")
    func memberStatuses() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let member = Member()
        member.emailVerifiedAt = now
        #expect(AdminMembersPage.statuses(of: member, now: now).map(\.kind) == ["active"])
        member.emailVerifiedAt = nil
        #expect(AdminMembersPage.statuses(of: member, now: now).map(\.kind) == ["unverified"])
        member.emailVerifiedAt = now
        member.silencedUntil = now.addingTimeInterval(86_400)
        member.suspendedUntil = ModerationAction.indefinitely
        #expect(AdminMembersPage.statuses(of: member, now: now).map(\.kind) == ["suspended", "silenced_until"])
        member.suspendedUntil = now.addingTimeInterval(3 * 86_400)
        #expect(AdminMembersPage.statuses(of: member, now: now).map(\.kind) == ["suspended_until", "silenced_until"])
        member.closedAt = now
        #expect(AdminMembersPage.statuses(of: member, now: now).map(\.kind) == ["left"])
    }

    @Test("the header leads the team to their own pages; the administration's pages link to each other")
    func teamNavigation() async throws {
        try await withConnectApp { app in
            let (member, _) = try await ForumSteps.loggedIn(app)
            let home = try await member.get("/").text
            #expect(!home.contains("href=\"/mod\"") && !home.contains("href=\"/admin\""))
            #expect(home.contains("id=\"site-menu-button\"") && home.contains("id=\"account-menu-button\""))
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let adminHome = try await admin.get("/").text
            #expect(adminHome.contains("href=\"/admin\"") && !adminHome.contains("href=\"/admin/audit\""))
            let wideNav = try #require(
                adminHome.components(separatedBy: "class=\"main-nav nav-wide\"").dropFirst().first?.components(separatedBy: "</nav>").first)
            #expect(wideNav.contains("href=\"/mod\"") && !wideNav.contains("href=\"/admin\""), "one row: administration is in the account menu")
            let page = try await admin.get("/admin")
            #expect(page.status == .ok)
            for (path, _) in AdminNav.pages { #expect(page.text.contains("href=\"\(path)\""), "\(path)") }
            #expect(page.text.contains("<th scope=\"col\">Status</th>"))
        }
    }

    @Test("sign-up asks to confirm being 18 or older, and keeps what was typed when it is not ticked")
    func adultsOnly() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            _ = try await browser.get("/signup")
            let fields: [(String, String)] = [
                ("email", "jong@example.org"), ("pseudonym", "JongeMerel"), ("password", "een-rustig-lang-wachtwoord-2026"),
                ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"),
            ]
            let refused = try await browser.post("/signup", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Depression Connect is voor volwassenen") && refused.text.contains("value=\"JongeMerel\""))
            #expect(refused.text.contains("id=\"confirm_adult\"") && refused.text.contains("aria-invalid=\"true\""))
            #expect(try await Member.query(on: app.db).filter(\.$email == "jong@example.org").count() == 0)
            let accepted = try await browser.post("/signup", fields + [("confirm_adult", "on")])
            #expect(accepted.status == .ok || accepted.status == .seeOther)
            #expect(try await Member.query(on: app.db).filter(\.$email == "jong@example.org").count() == 1)
        }
    }
}

@Suite("Dates written fast and right")
struct DateFormattingTests {
    @Test("the arithmetic ISO form equals Foundation's, across years, leap days and before 1970")
    func isoMatchesFoundation() {
        var moments: [Date] = [0, 951_782_400, 951_868_799, 1_709_164_800, 1_800_000_000.75, -86_401, 4_102_444_800].map(
            Date.init(timeIntervalSince1970:))
        for step in stride(from: -2_000_000_000.0, through: 4_000_000_000.0, by: 9_876_543.21) { moments.append(Date(timeIntervalSince1970: step)) }
        for date in moments { #expect(DateFormatting.iso(date) == date.formatted(.iso8601), "\(date.timeIntervalSince1970)") }
    }

    @Test("a remembered day is the day in the reader's zone and language")
    func rememberedDays() {
        let lateEvening = Date(timeIntervalSince1970: 1_796_423_400)  // 2026-12-04 22:30 UTC, 23:30 in Amsterdam
        let amsterdam = DateFormatting.day(lateEvening, locale: .nl)
        #expect(amsterdam == DateFormatting.day(lateEvening, locale: .nl))
        #expect(amsterdam.contains("december") && amsterdam.contains("2026"))
        let tokyo = DateFormatting.$zone.withValue(TimeZone(identifier: "Asia/Tokyo")!) { DateFormatting.day(lateEvening, locale: .en) }
        #expect(tokyo.contains("5 December 2026"), "\(tokyo): already the next day in Tokyo")
        #expect(DateFormatting.day(lateEvening, locale: .en).contains("4 December 2026"))
    }
}
