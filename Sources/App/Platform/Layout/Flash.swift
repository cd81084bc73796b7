import Vapor

/// A one-time message shown on the page after a redirect (Post/Redirect/Get).
/// The cookie holds a locale key, never free text, so it cannot carry markup.
struct Flash: Sendable, Equatable {
    enum Kind: String, Sendable { case success, info, error }
    let kind: Kind
    let key: String

    static let cookieName = "dc_flash"

    var cookieValue: String { "\(kind.rawValue):\(key)" }

    init(_ kind: Kind, _ key: String) {
        self.kind = kind
        self.key = key
    }

    init?(cookieValue: String) {
        let parts = cookieValue.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = Kind(rawValue: parts[0]),
            parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" })
        else { return nil }
        self.kind = kind
        self.key = parts[1]
    }
}

extension Request {
    /// Redirects (303) and leaves a flash message for the next page.
    func redirect(to path: String, flash: Flash?) -> Response {
        let response = redirect(to: path, redirectType: .normal)
        if let flash {
            response.cookies[Flash.cookieName] = HTTPCookies.Value(
                string: flash.cookieValue, maxAge: 120, path: "/", isSecure: connect.config.usesHTTPS,
                isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}
