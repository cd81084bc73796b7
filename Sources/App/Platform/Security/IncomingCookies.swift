import Vapor

extension Request {
    /// The request's cookies, parsed once. Vapor's `cookies` parses the Cookie header again on
    /// every read, and five steps of every request read one (session, CSRF, language, flash,
    /// kept form): a tenth of a logged-in request's CPU went to parsing the same header.
    var incomingCookies: HTTPCookies {
        if let parsed = storage[IncomingCookiesKey.self] { return parsed }
        let parsed = cookies
        storage[IncomingCookiesKey.self] = parsed
        return parsed
    }
}

private enum IncomingCookiesKey: StorageKey { typealias Value = HTTPCookies }
