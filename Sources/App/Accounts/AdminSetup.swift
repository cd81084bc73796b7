import Fluent
import Vapor

/// The first administrator: while none exists, start-up prints a one-time setup link.
enum AdminSetup {
    static func adminExists(on db: any Database) async throws -> Bool {
        try await Member.query(on: db).filter(\.$role == .admin).count() > 0
    }

    /// Issues a fresh setup link when there is no administrator yet (earlier links stop working).
    static func setupLinkIfNeeded(app: Application) async throws -> String? {
        guard try await !adminExists(on: app.db) else { return nil }
        let secret = try await AccountTokens.issue(.adminSetup, for: nil, on: app.db, now: app.connect.clock.now())
        return app.connect.config.publicURL + Paths.setup(token: secret)
    }

    /// Creates a verified administrator.
    static func createAdmin(email: String, pseudonym: String, passwordHash: String, on db: any Database, now: Date) async throws -> Member {
        let member = Member(email: email, passwordHash: passwordHash, pseudonym: pseudonym, realName: nil, role: .admin, locale: nil, createdAt: now)
        member.emailVerifiedAt = now
        try await member.create(on: db)
        try await AuditEvent(actorID: nil, action: "admin.create", subjectMemberID: member.id, detail: "first administrator", createdAt: now).create(
            on: db)
        return member
    }
}

/// Prints the setup link at start-up when there is no administrator.
struct AdminSetupAnnouncer: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        // Only when serving: `connect migrate` or `create-admin` should not print a link.
        let command = app.environment.arguments.dropFirst().first
        guard command == nil || command == "serve" || command?.hasPrefix("-") == true else { return }
        if let link = try await AdminSetup.setupLinkIfNeeded(app: app) {
            app.logger.notice("No administrator yet. Open this one-time link to create the first one (valid 24 hours): \(link)")
        }
    }
}
