import Vapor

/// Reads the one-time flash cookie and clears it once a page has shown it.
struct FlashMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let incoming = request.incomingCookies[Flash.cookieName].flatMap { Flash(cookieValue: $0.string) }
        if let incoming { request.storage[FlashKey.self] = incoming }
        let response = try await next.respond(to: request)
        if incoming != nil, response.cookies[Flash.cookieName] == nil, response.status == .ok {
            response.cookies[Flash.cookieName] = .removal
        }
        return response
    }
}

enum FlashKey: StorageKey { typealias Value = Flash }

extension Request {
    var flash: Flash? { storage[FlashKey.self] }
}

extension HTTPCookies.Value {
    /// Clears a cookie that was set for the whole site.
    static var removal: HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isHTTPOnly: true, sameSite: .lax)
    }
}
