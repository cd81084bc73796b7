import Fluent
import Foundation
import VaporTesting

@testable import App

/// Steps of moderation, taken through the real routes.
enum ModerationSteps {
    /// Starts a shift and acknowledges its handover.
    static func startShift(_ moderator: TestBrowser, kind: String = "morning") async throws {
        let started = try await moderator.post("/mod/shift/start", [("kind", kind)])
        guard started.status == .seeOther else { throw FixtureError("starting a shift failed: \(started.status)") }
        _ = try await moderator.post("/mod/shift/acknowledge", [])
    }

    static func endShift(_ moderator: TestBrowser, peculiarities: String, openItems: String = "", watch: String = "") async throws {
        let response = try await moderator.post(
            "/mod/shift/end",
            [
                ("atmosphere", "4"), ("atmosphere_note", "Rustig"),
                ("peculiarities", peculiarities), ("watch_members", watch),
                ("open_items", openItems),
            ])
        guard response.status == .seeOther else { throw FixtureError("ending a shift failed: \(response.status) \(response.text.prefix(300))") }
    }

    static func auditActions(_ app: Application) async throws -> [String] {
        try await AuditEvent.query(on: app.db).sort(\.$createdAt).all().map(\.action)
    }

    static func source(_ app: Application, title: String = "Thuisarts: depressie", url: String = "https://www.thuisarts.nl/depressie") async throws
        -> Source
    {
        let source = Source()
        source.title = title
        source.url = url
        source.language = "nl"
        source.description = "Betrouwbare informatie van huisartsen"
        source.archived = false
        source.createdAt = Date()
        try await source.create(on: app.db)
        return source
    }
}
