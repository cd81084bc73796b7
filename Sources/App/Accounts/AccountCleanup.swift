import Fluent
import Vapor

/// Removes what has expired: sessions, and tokens a week past their end.
struct AccountCleanup: Sendable {
    let database: any Database
    let clock: any AppClock

    func run() async throws {
        let now = clock.now()
        try await MemberSession.query(on: database).filter(\.$expiresAt < now).delete()
        try await AccountToken.query(on: database).filter(\.$expiresAt < now.addingTimeInterval(-7 * 86_400)).delete()
        try await RescuedForm.query(on: database).filter(\.$expiresAt < now).delete()
    }
}
