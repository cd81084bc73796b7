import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Admins edit pages in both languages", .serialized)
struct PageAdminTests {
    @Test("an admin previews and publishes the crisis help; members see the new version; earlier versions stay readable")
    func publishHelp() async throws {
        try await withConnectApp { app in
            let (member, _) = try await ForumSteps.loggedIn(app)
            #expect(try await member.get("/admin/pages/help").status == .forbidden)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            #expect(try await moderator.post("/admin/pages/help", [("title_nl", "x")]).status == .forbidden)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let editor = try await admin.get("/admin/pages/help")
            #expect(editor.text.contains("113"))
            let fields = [
                ("title_nl", "Hulp nodig?"), ("body_nl", "Bel **113** (0800-0113) of 112 bij direct gevaar. Nieuw: de huisartsenpost."),
                ("title_en", "Need help?"), ("body_en", "Call **113** (0800-0113) or 112 in an emergency. New: the GP out-of-hours service."),
            ]
            let preview = try await admin.post("/admin/pages/help", fields + [("preview", "1")])
            #expect(preview.status == .ok && preview.text.contains("<strong>113</strong>"))
            let missing = try await admin.post(
                "/admin/pages/help", [("title_nl", "Hulp"), ("body_nl", "Tekst"), ("title_en", ""), ("body_en", "Text")])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("Tekst"))
            #expect(try await admin.post("/admin/pages/help", fields).status == .seeOther)
            #expect(try await TestBrowser(app).get("/help").text.contains("huisartsenpost"))
            member.acceptLanguage = "en"
            #expect(try await PageVersions.current(.help, locale: .en, on: app.db)?.version == 2)
            #expect(try await admin.get("/admin/pages/help/versions/1").text.contains("113"))
            #expect(try await ModerationSteps.auditActions(app).contains("page.publish"))
        }
    }
}
