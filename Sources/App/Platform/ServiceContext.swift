import Fluent
import Foundation
import Vapor

/// What every service is given, and all it is given: the database, the clock and the app's
/// services, and the member who acts. A service never sees the HTTP request, so the same
/// service serves a form, a command or a job, and a test calls it directly.
///
/// The shape of a service (see `Sources/App/README.md`):
///
///     struct ReplyToTopic {
///         let context: ServiceContext
///         func run(…) async throws -> Outcome     // one write action, one transaction
///     }
struct ServiceContext: Sendable {
    let db: any Database
    let services: ConnectServices
    let triggers: TriggerEngine
    /// The member who acts.
    let actor: Member
    /// Password hashing off the event loop (bcrypt is slow on purpose).
    let passwords: AsyncPasswordHasher
    /// The language of the request behind the act, for mails to members who chose none.
    let locale: AppLocale

    var clock: any AppClock { services.clock }
    var now: Date { services.clock.now() }

    /// The same context on another connection (inside a transaction).
    func on(_ db: any Database) -> ServiceContext {
        ServiceContext(db: db, services: services, triggers: triggers, actor: actor, passwords: passwords, locale: locale)
    }

    /// Runs `work` in one transaction, with a context on it.
    func transaction<T: Sendable>(_ work: @Sendable @escaping (ServiceContext) async throws -> T) async throws -> T {
        try await db.transaction { db in try await work(on(db)) }
    }
}

extension Request {
    /// The context for a service acting as `actor` (the logged-in member, or a moderator).
    func context(as actor: Member) -> ServiceContext {
        ServiceContext(db: db, services: connect, triggers: triggerEngine, actor: actor, passwords: password.async, locale: locale)
    }
}
