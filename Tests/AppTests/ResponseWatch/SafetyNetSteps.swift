import Fluent
import Foundation
import VaporTesting

@testable import App

/// Steps and readings for the safety net's tests (waiting topics, responders, the care note).
enum SafetyNetSteps {
    static let hour: TimeInterval = 3_600
    static let day: TimeInterval = 86_400

    /// The notification settings as they are by default, with the responder choice.
    static func notificationForm(responder: Bool, quiet: (start: String, end: String)? = nil) -> [(String, String)] {
        var form = [
            ("email_replies", "daily"), ("email_mentions", "daily"), ("email_reactions", "never"),
            ("email_moderator", "immediately"), ("email_watching", "daily"),
            ("quiet_start", quiet?.start ?? "22:00"), ("quiet_end", quiet?.end ?? "08:00"), ("daily_budget", "5"),
        ]
        if quiet != nil { form.append(("quiet_enabled", "on")) }
        if responder { form.append(("responder", "on")) }
        return form
    }

    /// Chooses, in the notification settings, to be shown topics that wait for a reply.
    static func becomeResponder(_ browser: TestBrowser, quiet: (start: String, end: String)? = nil) async throws {
        let response = try await browser.post("/settings/notifications", notificationForm(responder: true, quiet: quiet))
        guard response.status == .seeOther else { throw FixtureError("saving the settings failed: \(response.status)") }
    }

    /// The ids of the waiting topics a page lists, in page order (`prefix` is the items' id prefix).
    static func ids(in html: String, prefix: String) -> [Int] {
        let pattern = try! NSRegularExpression(pattern: "id=\"\(prefix)(\\d+)\"")
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
            Range(match.range(at: 1), in: html).flatMap { Int(html[$0]) }
        }
    }

    /// The topics waiting on the moderators' queue page.
    static func queue(_ moderator: TestBrowser) async throws -> [Int] {
        let page = try await moderator.get("/mod/queue")
        guard page.status == .ok else { throw FixtureError("the queue answered \(page.status)") }
        return ids(in: page.text, prefix: "waiting-topic-")
    }

    /// The topics a member's home page lists as waiting for a reply.
    static func home(_ member: TestBrowser) async throws -> [Int] {
        ids(in: try await member.get("/").text, prefix: "waiting-for-reply-")
    }

    /// Marks a topic heavy as a trigger rule does: a crisis or concern review item on its
    /// opening post, raised by the topic's author.
    static func flag(_ app: Application, topic: Int, kind: ReviewItem.Kind = .trigger) async throws {
        let post = try await ForumSteps.post(app, topic: topic, number: 1)
        try await ReviewItem(kind: kind, postID: post.requireID(), memberID: post.authorID, summary: "test", createdAt: app.connect.clock.now())
            .create(on: app.db)
    }

    /// The text of the element with this id, tags removed.
    static func text(of id: String, in html: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\""), let open = html[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: open)...]
        guard let close = rest.range(of: "</") else { return nil }
        return String(rest[..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
