import Vapor

/// Checks the current password on forms that change the account from an open session
/// (email, password, leaving). One counter for all of them, counted before the check, so an
/// open session cannot be used to guess the password (a stolen laptop, a shared computer).
enum CurrentPassword {
    static func matches(_ typed: String, for member: Member, on req: Request) async throws -> Bool {
        try await req.rateLimiter.hit("current-password:\(try member.requireID())", req.connect.config.rateLimits.currentPasswordPerMember)
        return try await req.password.async.verify(typed, created: member.passwordHash)
    }
}
