import Vapor

/// What every view needs to know about the request it renders for.
struct PageContext: Sendable {
    let locale: AppLocale
    let localizer: Localizer
    let member: Member?
    let csrfToken: String
    let path: String
    let flash: Flash?
    /// Crisis alerts nobody acknowledged yet (team pages only): a banner on top of the page.
    var openAlerts: Int = 0
    /// Unread notifications for the header (not shown during a break).
    var unreadNotifications: Int = 0
    /// Conversations with unread private messages.
    var unreadMessages: Int = 0
    /// The time the page is rendered at (the app's clock), for breaks and quiet hours.
    var now: Date = Date()

    /// The member is pausing the community: no counts, no unread marks, a gentle banner.
    var onBreak: Bool { member?.isOnBreak(at: now) ?? false }

    /// The UI strings in this page's language: `t("key")` or `t("key", ["name": …])`.
    var t: Translator { Translator(localizer: localizer, locale: locale) }

    /// A member's name as shown: the pseudonym, or "former member" for someone who left
    /// (their name comes from SQL as empty, see `Member.shownName`).
    func shownName(_ pseudonym: String) -> String {
        pseudonym.isEmpty ? t("member.former") : pseudonym
    }
}

/// Looks up UI strings in one language; called like a function.
struct Translator: Sendable {
    let localizer: Localizer
    let locale: AppLocale

    func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        localizer.text(key, locale, values)
    }

    /// A counted string in its plural form (`key.one` / `key.other`, see `Localizer.plural`).
    func callAsFunction(_ key: String, count: Int, _ values: [String: String] = [:]) -> String {
        localizer.plural(key, count: count, locale, values)
    }

    /// A number written the locale's way.
    func number(_ value: Int) -> String { Localizer.number(value, locale) }
}

extension Request {
    var pageContext: PageContext {
        PageContext(
            locale: locale,
            localizer: connect.localizer,
            member: member,
            csrfToken: csrfToken,
            path: url.path,
            flash: flash,
            openAlerts: storage[OpenAlertsKey.self] ?? 0,
            unreadNotifications: storage[UnreadNotificationsKey.self] ?? 0,
            unreadMessages: storage[UnreadMessagesKey.self] ?? 0,
            now: connect.clock.now()
        )
    }
}

/// Set by the team's access check, read by the layout.
struct OpenAlertsKey: StorageKey { typealias Value = Int }
