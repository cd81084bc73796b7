import Vapor

/// Chooses the language of a response: the member's setting, then the visitor's language
/// cookie, then Accept-Language, then DEFAULT_LOCALE.
struct LocaleResolver {
    static let cookieName = "dc_lang"

    static func resolve(memberLocale: AppLocale?, request: Request, fallback: AppLocale) -> AppLocale {
        if let memberLocale { return memberLocale }
        if let cookie = request.incomingCookies[cookieName]?.string, let locale = AppLocale(rawValue: cookie) {
            return locale
        }
        if let header = request.headers.first(name: .acceptLanguage), let locale = fromAcceptLanguage(header) {
            return locale
        }
        return fallback
    }

    /// Picks the supported language with the highest q-value.
    static func fromAcceptLanguage(_ header: String) -> AppLocale? {
        var best: (AppLocale, Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            var q = 1.0
            for p in pieces.dropFirst() where p.hasPrefix("q=") {
                q = Double(p.dropFirst(2)) ?? 0
            }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let locale = AppLocale(rawValue: primary), q > 0 else { continue }
            if best == nil || q > best!.1 { best = (locale, q) }
        }
        return best?.0
    }
}
