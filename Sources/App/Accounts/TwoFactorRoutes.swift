import Fluent
import Vapor

/// Setting up two-factor sign-in, and the second step of logging in.
struct TwoFactorRoutes: RouteCollection {
    /// Holds the pending sign-in between the password and the code; scoped to the login pages.
    static let cookieName = "dc_2fa"

    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember()).grouped("settings", "two-factor")
        members.get(use: setup)
        members.post(use: enable)
        routes.get("login", "two-factor", use: challenge)
        routes.post("login", "two-factor", use: answer)
    }

    /// GET /settings/two-factor: the key to add to an authenticator app, or the status.
    func setup(req: Request) async throws -> Response {
        let member = try req.requireMember()
        if member.hasTwoFactor { return TwoFactorSetupPage(member: member, secret: nil).render(req) }
        let secret = try await TwoFactor(database: req.db, now: req.connect.clock.now()).pendingSecret(for: member)
        return TwoFactorSetupPage(member: member, secret: secret).render(req)
    }

    /// POST /settings/two-factor: the first code proves the app has the key; recovery codes are shown once.
    func enable(req: Request) async throws -> Response {
        let member = try req.requireMember()
        try await req.rateLimiter.hit("two_factor:account:\(member.id?.uuidString ?? "")", req.connect.config.rateLimits.loginPerAccount)
        let code = (try? req.content.get(String.self, at: "code")) ?? ""
        let twoFactor = TwoFactor(database: req.db, now: req.connect.clock.now())
        if member.hasTwoFactor { return req.redirect(to: "/settings/two-factor") }
        guard let codes = try await twoFactor.enable(member, code: code) else {
            var page = TwoFactorSetupPage(member: member, secret: try await twoFactor.pendingSecret(for: member))
            page.errors.add("code", "two_factor.error.code")
            return page.render(req)
        }
        var page = TwoFactorSetupPage(member: member, secret: nil)
        page.recoveryCodes = codes
        return page.render(req)
    }

    /// GET /login/two-factor?next=
    func challenge(req: Request) async throws -> Response {
        guard try await pending(req) != nil else { return req.redirect(to: "/login", flash: Flash(.info, "two_factor.expired")) }
        return TwoFactorLoginPage(next: LocalPath.sanitise(req.query[String.self, at: "next"])).render(req)
    }

    /// POST /login/two-factor: a code from the app or a recovery code opens the session.
    func answer(req: Request) async throws -> Response {
        let next = LocalPath.sanitise(try? req.content.get(String.self, at: "next"))
        guard let (token, member) = try await pending(req) else {
            return req.redirect(to: "/login", flash: Flash(.info, "two_factor.expired"))
        }
        try await req.rateLimiter.hit("two_factor:account:\(member.id?.uuidString ?? "")", req.connect.config.rateLimits.loginPerAccount)
        let code = (try? req.content.get(String.self, at: "code")) ?? ""
        let now = req.connect.clock.now()
        guard try await TwoFactor(database: req.db, now: now).verify(member, code: code) else {
            var page = TwoFactorLoginPage(next: next)
            page.errors.add("code", "two_factor.error.code")
            return page.render(req)
        }
        guard try await AccountTokens.redeem(token, on: req.db, now: now) else {
            return req.redirect(to: "/login", flash: Flash(.info, "two_factor.expired"))
        }
        let cookie = try await LogIn.openSession(for: member, request: req)
        let response = req.redirect(to: next, flash: Flash(.success, AccountsRoutes.welcome(member, restored: false)))
        response.cookies[SessionAuthenticator.cookieName] = cookie
        response.cookies[Self.cookieName] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/login")
        return response
    }

    private func pending(_ req: Request) async throws -> (AccountToken, Member)? {
        guard let secret = req.incomingCookies[Self.cookieName]?.string,
            let token = try await AccountTokens.find(secret, purpose: .secondFactor, on: req.db, now: req.connect.clock.now()),
            let memberID = token.$member.id, let member = try await Member.find(memberID, on: req.db),
            member.hasTwoFactor, !member.isSuspended(at: req.connect.clock.now())
        else { return nil }
        return (token, member)
    }

    /// After a correct password: remember the pending sign-in and ask for the code.
    static func startChallenge(for member: Member, next: String, req: Request) async throws -> Response {
        let secret = try await AccountTokens.issue(.secondFactor, for: member.requireID(), on: req.db, now: req.connect.clock.now())
        let response = req.redirect(to: "/login/two-factor?next=\(LocalPath.encode(next))")
        response.cookies[cookieName] = HTTPCookies.Value(
            string: secret, maxAge: 600, path: "/login",
            isSecure: req.connect.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}
