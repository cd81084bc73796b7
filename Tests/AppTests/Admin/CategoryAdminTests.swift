import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Administrators manage the themes", .serialized)
struct CategoryAdminTests {
    @Test("an admin adds a theme, renames, reorders and archives it")
    func manageThemes() async throws {
        try await withConnectApp { app in
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            #expect(try await admin.get("/admin/categories").status == .ok)
            let created = try await admin.post(
                "/admin/categories",
                [
                    ("name_nl", "Slaap en rust"), ("name_en", "Sleep & rest"),
                    ("description_nl", "Over slapen"), ("description_en", "About sleep"),
                ])
            #expect(created.status == .seeOther)
            let category = try #require(try await Category.query(on: app.db).filter(\.$slug == "sleep-rest").first())
            #expect(category.position == 9)
            _ = try await admin.post(
                "/admin/categories/\(try category.requireID())",
                [
                    ("name_nl", "Slapen"), ("name_en", "Sleep"), ("description_nl", "Nachten"), ("description_en", "Nights"),
                    ("position", "2"), ("archived", "on"),
                ])
            let updated = try #require(try await Category.find(category.id, on: app.db))
            #expect(updated.nameNL == "Slapen" && updated.nameEN == "Sleep" && updated.position == 2 && updated.archived)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ ["category.create", "category.update"]).count() == 2)
            // Archived themes are gone for members.
            let (member, _) = try await ForumSteps.loggedIn(app)
            #expect(try await member.get("/c/sleep-rest").status == .notFound)
            #expect(!(try await member.get("/").text.contains("href=\"/c/sleep-rest\"")))
        }
    }

    @Test("a theme needs names in both languages and a free slug; the form keeps what was typed")
    func badInput() async throws {
        try await withConnectApp { app in
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let missing = try await admin.post("/admin/categories", [("name_nl", "X"), ("name_en", "Something"), ("description_en", "Typed text")])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("value=\"Typed text\""))
            let taken = try await admin.post("/admin/categories", [("name_nl", "Stel je voor"), ("name_en", "Introduce yourself")])
            #expect(taken.status == .unprocessableEntity)
            #expect(try await Category.query(on: app.db).filter(\.$isInternal == false).count() == 8)
        }
    }

    @Test("members and moderators cannot manage themes")
    func permissions() async throws {
        try await withConnectApp { app in
            for role in [Role.member, .moderator] {
                let (browser, _) = try await ForumSteps.loggedIn(app, role: role)
                #expect(try await browser.get("/admin/categories").status == .forbidden)
                let response = try await browser.post("/admin/categories", [("name_nl", "Nieuw"), ("name_en", "New one")])
                #expect(response.status == .forbidden)
            }
            #expect(try await Category.query(on: app.db).filter(\.$isInternal == false).count() == 8)
        }
    }
}
