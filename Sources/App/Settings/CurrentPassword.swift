import SQLKit
import Vapor

/// Checks the current password on forms that change the account from an open session
/// (email, password, leaving). One counter for all of them, counted before the check, so an
/// open session cannot be used to guess the password (a stolen laptop, a shared computer).
enum CurrentPassword {
    /// Whether `typed` is the acting member's password.
    static func matches(_ typed: String, in context: ServiceContext) async throws -> Bool {
        let member = context.actor
        try await RateLimiter(database: context.db as! any SQLDatabase, clock: context.clock)
            .hit("current-password:\(try member.requireID())", context.services.config.rateLimits.currentPasswordPerMember)
        return try await context.passwords.verify(typed, created: member.passwordHash)
    }

    static func matches(_ typed: String, for member: Member, on req: Request) async throws -> Bool {
        try await matches(typed, in: req.context(as: member))
    }
}
