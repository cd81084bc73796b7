import Vapor

/// Decides the response language once per request (after the member is known).
struct LocaleMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.storage[LocaleKey.self] = LocaleResolver.resolve(
            memberLocale: request.member?.locale, request: request, fallback: request.connect.config.defaultLocale)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .contentLanguage, value: request.locale.rawValue)
        response.headers.replaceOrAdd(name: .vary, value: "Accept-Language, Cookie")
        return response
    }
}

enum LocaleKey: StorageKey { typealias Value = AppLocale }

extension Request {
    /// The language of this response.
    var locale: AppLocale {
        storage[LocaleKey.self]
            ?? LocaleResolver.resolve(memberLocale: member?.locale, request: self, fallback: connect.config.defaultLocale)
    }

    /// A UI string in this response's language.
    func t(_ key: String, _ values: [String: String] = [:]) -> String {
        connect.localizer.text(key, locale, values)
    }

    /// A counted UI string in its plural form in this response's language.
    func t(_ key: String, count: Int, _ values: [String: String] = [:]) -> String {
        connect.localizer.plural(key, count: count, locale, values)
    }
}
