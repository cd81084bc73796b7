import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("First login and profiles", .serialized)
struct ProfileTests {
    @Test(
        "the first login invites an introduction once; saving can also post it in 'Introduce yourself'; the profile shows it without private details")
    func introduction() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app, pseudonym: "Zeeduif")
            let browser = TestBrowser(app)
            let login = try await browser.post("/login", [("email", member.email), ("password", goodPassword), ("next", "/")])
            #expect(login.location == "/intro?next=/")
            let tooLong = try await browser.post("/intro", [("introduction", String(repeating: "a", count: 2_001)), ("next", "/")])
            #expect(tooLong.status == .unprocessableEntity)
            let saved = try await browser.post(
                "/intro", [("introduction", "Ik ben 34 en lees al een tijdje mee. <b>Hoi</b>"), ("also_post", "on"), ("next", "/")])
            #expect(saved.location == "/manual?first=1&next=/")
            let topic = try #require(try await Topic.query(on: app.db).first())
            #expect(topic.title.contains("Zeeduif"))
            #expect(try await Category.find(topic.categoryID, on: app.db)?.slug == "introduce-yourself")
            // Nothing nags twice.
            let again = TestBrowser(app)
            #expect(try await again.post("/login", [("email", member.email), ("password", goodPassword), ("next", "/")]).location == "/")

            let (other, _) = try await ForumSteps.loggedIn(app)
            let profile = try await other.get("/u/zeeduif")
            #expect(profile.status == .ok)
            #expect(profile.text.contains("lees al een tijdje mee") && profile.text.contains("&lt;b&gt;Hoi&lt;/b&gt;"))
            #expect(profile.text.contains(topic.title))
            #expect(!profile.text.contains(member.email))
            #expect(try await other.get("/u/niemand").status == .notFound)
            #expect(try await TestBrowser(app).get("/u/zeeduif").status == .seeOther)
        }
    }
}
