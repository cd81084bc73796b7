import Fluent
import Foundation
import VaporTesting

@testable import App

/// Steps of the forum, taken through the real routes.
enum ForumSteps {
    static func firstCategory(_ app: Application) async throws -> Category {
        try await Category.query(on: app.db).sort(\.$position).first()!
    }

    /// Starts a topic through POST /t/new and returns its id.
    static func startTopic(
        _ browser: TestBrowser, category: String = "living-with-depression",
        title: String = "Slapen lukt niet meer", body: String = "Ik lig elke nacht wakker. Herkent iemand dit?"
    ) async throws -> Int {
        let response = try await browser.post("/t/new", [("category", category), ("title", title), ("body", body)])
        guard response.status == .seeOther, let location = response.location, location.hasPrefix("/t/"),
            let id = Int(location.dropFirst(3).prefix { $0.isNumber })
        else {
            throw FixtureError("starting a topic failed: \(response.status) \(response.text.prefix(200))")
        }
        return id
    }

    @discardableResult
    static func reply(_ browser: TestBrowser, topic: Int, body: String) async throws -> String {
        let response = try await browser.post("/t/\(topic)/reply", [("body", body)])
        guard response.status == .seeOther, let location = response.location else {
            throw FixtureError("replying failed: \(response.status) \(response.text.prefix(200))")
        }
        return location
    }

    static func post(_ app: Application, topic: Int, number: Int) async throws -> Post {
        try await Post.query(on: app.db).filter(\.$topicID == topic).filter(\.$number == number).first()!
    }

    static func loggedIn(_ app: Application, role: Role = .member, pseudonym: String? = nil) async throws -> (TestBrowser, Member) {
        let member = try await Fixtures.member(app, pseudonym: pseudonym ?? "Lid\(Int.random(in: 1000...999_999))", role: role)
        let browser = TestBrowser(app)
        try await Fixtures.logIn(browser, member)
        return (browser, member)
    }
}
