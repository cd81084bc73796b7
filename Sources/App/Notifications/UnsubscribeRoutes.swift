import Fluent
import Plot
import Vapor

/// One-click unsubscribe from the link in every notification mail: no login needed. Mail
/// programs POST to it (RFC 8058); a person opening the link confirms with one button.
struct UnsubscribeRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("unsubscribe", ":token", use: confirm)
        routes.post("unsubscribe", ":token", use: unsubscribe)
    }

    /// What the link turns off: one channel, or everything that arrives in digests.
    static func channels(for what: String, prefs: NotificationPreferences) -> [NotificationPreferences.Channel] {
        if let channel = NotificationPreferences.Channel(rawValue: what) { return [channel] }
        return NotificationPreferences.Channel.allCases.filter { [.daily, .weekly].contains(prefs.frequency(for: $0)) }
    }

    private func prefs(_ req: Request) async throws -> NotificationPreferences? {
        let token = req.parameters.get("token") ?? ""
        guard token.count >= 20, token.count <= 100 else { return nil }
        return try await NotificationPreferences.query(on: req.db).filter(\.$unsubscribeToken == token).first()
    }

    /// GET /unsubscribe/:token?what=: a button, so a link scanner opening it changes nothing.
    func confirm(req: Request) async throws -> Response {
        guard try await prefs(req) != nil else { return NoticePage.tokenInvalid.render(req) }
        let what = req.query[String.self, at: "what"] ?? "digest"
        return UnsubscribePage(token: req.parameters.get("token") ?? "", what: what, done: false).render(req)
    }

    /// POST /unsubscribe/:token?what=: turns those emails off.
    func unsubscribe(req: Request) async throws -> Response {
        try await req.rateLimiter.hit("unsubscribe:ip:\(req.clientIP)", req.connect.config.rateLimits.resendPerIP)
        guard let prefs = try await prefs(req) else { return NoticePage.tokenInvalid.render(req) }
        let what = req.query[String.self, at: "what"] ?? (try? req.content.get(String.self, at: "what")) ?? "digest"
        let channels = Self.channels(for: what, prefs: prefs)
        for channel in channels { prefs.set(.never, for: channel) }
        let kinds = Notification.Kind.allCases.filter { channels.contains($0.channel) }
        try await req.db.transaction { db in
            try await prefs.save(on: db)
            // Nothing already waiting for those channels goes out either.
            try await Notification.query(on: db).filter(\.$memberID == prefs.memberID).filter(\.$kind ~~ kinds)
                .filter(\.$emailState ~~ [.immediate, .daily, .weekly]).set(\.$emailState, to: .none).update()
        }
        return UnsubscribePage(token: req.parameters.get("token") ?? "", what: what, done: true).render(req)
    }
}

struct UnsubscribePage {
    let token: String
    let what: String
    let done: Bool

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let whatText = NotificationPreferences.Channel(rawValue: what).map { t("notify_settings.channel.\($0.rawValue)") } ?? t("unsubscribe.digest")
        return req.page(t("unsubscribe.title")) {
            El("h1", ["id": done ? "unsubscribed" : "unsubscribe-title"]) { T(t(done ? "unsubscribe.done_title" : "unsubscribe.title")) }
            if done {
                El("p") { T(t("unsubscribe.done_body", ["what": whatText])) }
            } else {
                El("p") { T(t("unsubscribe.lead", ["what": whatText])) }
                El(
                    "form",
                    [
                        "id": "unsubscribe-form", "method": "post",
                        "action": Paths.unsubscribe(token: token, what: what),
                    ]
                ) {
                    El("button", ["id": "unsubscribe-submit", "class": "button button-primary", "type": "submit"]) { T(t("unsubscribe.submit")) }
                }
            }
            El("p") {
                T(t("unsubscribe.settings") + " ")
                El("a", ["href": "/settings/notifications"]) { T(t("notify_settings.title")) }
            }
        }
    }
}
