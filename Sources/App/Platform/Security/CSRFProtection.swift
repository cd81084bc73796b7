import Vapor

/// Double-submit CSRF protection: a random token in an HttpOnly cookie, repeated in a
/// hidden field of every form (or an X-CSRF-Token header). It does not depend on the login
/// session, so a form sent after the session expired still passes and keeps its text.
struct CSRFProtection: AsyncMiddleware {
    static let cookieName = "dc_csrf"
    static let fieldName = "_csrf"
    let maxBodySize: Int
    let secureCookie: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.incomingCookies[Self.cookieName].flatMap { Self.isWellFormed($0.string) ? $0.string : nil }
        let token = existing ?? SecureToken.generate()
        request.storage[CSRFTokenKey.self] = token

        // One-click unsubscribe (RFC 8058) is posted by mail programs, which have no cookie; the
        // secret in the link is the proof, and it can only turn email off.
        let exempt = request.url.path.hasPrefix("/unsubscribe/")
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) && !exempt {
            // Middleware runs before the route collects the body, so collect it here (with the size limit).
            try await OversizedForm.collect(request, keeping: maxBodySize)
            let submitted =
                (try? request.content.get(String.self, at: Self.fieldName))
                ?? request.headers.first(name: "X-CSRF-Token")
            guard let existing, let submitted, SecureToken.constantTimeEquals(existing, submitted) else {
                throw AppError.csrfFailed
            }
        }

        let response = try await next.respond(to: request)
        if existing == nil {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: token, maxAge: 60 * 60 * 24 * 365, path: "/", isSecure: secureCookie,
                isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    static func isWellFormed(_ value: String) -> Bool {
        value.count == 43 && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

enum CSRFTokenKey: StorageKey { typealias Value = String }

extension Request {
    var csrfToken: String { storage[CSRFTokenKey.self] ?? "" }
}
