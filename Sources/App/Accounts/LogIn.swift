import Fluent
import Vapor

/// Checks credentials and opens a session.
struct LogIn {
    enum Outcome {
        case loggedIn(Member)
        case wrongCredentials
        case unverified(Member)
        /// A moderator suspended the account; only a correct password learns this.
        case suspended(until: Date)
        /// The member had left and came back within the grace period: the account is open again.
        case restored(Member)
    }

    let request: Request

    func run(email: String, password: String) async throws -> Outcome {
        let limits = request.connect.config.rateLimits
        try await request.rateLimiter.hit("login:ip:\(request.clientIP)", limits.loginPerIP)
        try await request.rateLimiter.hit("login:account:\(email)", limits.loginPerAccount)

        guard let member = try await Member.query(on: request.db).filter(\.$email == email).first() else {
            // Hash anyway: an unknown email answers as slowly as a wrong password.
            _ = try await request.password.async.hash(password)
            return .wrongCredentials
        }
        // An erased account has no password any more; it answers like an unknown address.
        guard member.erasedAt == nil, try await request.password.async.verify(password, created: member.passwordHash) else {
            if member.erasedAt != nil { _ = try await request.password.async.hash(password) }
            return .wrongCredentials
        }
        let now = request.connect.clock.now()
        if member.isClosed {
            guard LeaveAccount.canRestore(member, now: now) else { return .wrongCredentials }
            try await LeaveAccount.restore(member, on: request.db, now: now)
            guard member.isVerified, !member.isSuspended(at: now) else { return .wrongCredentials }
            return .restored(member)
        }
        guard member.isVerified else { return .unverified(member) }
        if let until = member.suspendedUntil, until > now { return .suspended(until: until) }
        return .loggedIn(member)
    }

    /// Creates the session row and returns the cookie that carries it.
    static func openSession(for member: Member, request: Request) async throws -> HTTPCookies.Value {
        let now = request.connect.clock.now()
        let token = SecureToken.generate()
        let lifetime = request.connect.config.sessionLifetime
        try await MemberSession(
            tokenHash: SecureToken.hash(token), memberID: try member.requireID(),
            createdAt: now, expiresAt: now.addingTimeInterval(lifetime)
        ).create(on: request.db)
        return HTTPCookies.Value(
            string: token, maxAge: Int(lifetime), path: "/",
            isSecure: request.connect.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
    }
}
