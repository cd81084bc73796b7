import Fluent
import Foundation
import VaporTesting

@testable import App

/// Moments and steps for the notification tests.
enum NotificationSteps {
    /// 2026-11-30 22:00 UTC: 23:00 in Amsterdam (CET), a Monday.
    static let lateEvening = Date(timeIntervalSince1970: 1_796_076_000)

    static func prefs(_ app: Application, _ member: Member, _ change: (NotificationPreferences) -> Void) async throws {
        let prefs = try await NotificationPreferences.of(member.requireID(), on: app.db)
        change(prefs)
        try await prefs.save(on: app.db)
    }

    static func mailer(_ app: Application) -> NotificationMailer {
        NotificationMailer(
            database: app.db, clock: app.connect.clock, localizer: app.connect.localizer,
            publicURL: app.connect.config.publicURL, defaultLocale: .nl)
    }

    static func digest(_ app: Application) -> DigestJob {
        DigestJob(
            database: app.db, clock: app.connect.clock, localizer: app.connect.localizer,
            publicURL: app.connect.config.publicURL, defaultLocale: .nl)
    }

    static func mails(_ app: Application, to member: Member) async throws -> [OutboxMail] {
        try await OutboxMail.query(on: app.db).filter(\.$recipient == member.email).sort(\.$createdAt).all()
    }

    static func notifications(_ app: Application, of member: Member) async throws -> [App.Notification] {
        try await App.Notification.query(on: app.db).filter(\.$memberID == member.requireID()).sort(\.$createdAt).all()
    }
}
