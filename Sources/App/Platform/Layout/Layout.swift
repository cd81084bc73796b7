import Plot
import Vapor

/// The page shell: head, skip link, header with the crisis help link, main, footer.
struct Layout {
    let context: PageContext
    let title: String
    let content: Component

    func render() -> String {
        let t = context.t
        let html = ComponentGroup {
            CookedHTML(html: "<!DOCTYPE html>")
            El("html", ["lang": context.locale.rawValue]) {
                El("head") {
                    VoidEl("meta", ["charset": "utf-8"])
                    VoidEl("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                    // A closed community: nothing here belongs in a search engine.
                    VoidEl("meta", ["name": "robots", "content": "noindex, nofollow"])
                    VoidEl("meta", ["name": "referrer", "content": "same-origin"])
                    El("title") { T("\(title) · Depression Connect") }
                    VoidEl("link", ["rel": "stylesheet", "href": "/css/site.css"])
                    // Live updates for members; the page is complete without it.
                    if context.member != nil {
                        El("script", ["src": "/js/live.js", "defer": ""])
                    }
                }
                El("body") {
                    El("a", ["class": "skip-link", "href": "#main"]) { T(t("layout.skip_link")) }
                    header
                    El("main", ["id": "main", "class": "wrap", "tabindex": "-1"]) {
                        if let flash = context.flash {
                            El("div", ["class": "flash flash-\(flash.kind.rawValue)", "role": flash.kind == .error ? "alert" : "status"]) {
                                T(t(flash.key))
                            }
                        }
                        if context.onBreak, let until = context.member?.breakUntil {
                            El("div", ["id": "break-banner", "class": "callout callout-calm", "role": "status"]) {
                                T(t("break.banner", ["date": DateFormatting.dayTime(until, locale: context.locale)]) + " ")
                                El("form", ["class": "inline-form", "method": "post", "action": "/settings/break/end"]) {
                                    CSRFField(token: context.csrfToken)
                                    El("button", ["id": "break-end-banner", "class": "link-button", "type": "submit"]) { T(t("break.end")) }
                                }
                            }
                        }
                        if context.openAlerts > 0 {
                            El("div", ["id": "alert-banner", "class": "callout callout-urgent", "role": "alert"]) {
                                T(t("alerts.banner", count: context.openAlerts) + " ")
                                El("a", ["href": "/mod/alerts"]) { T(t("alerts.open")) }
                            }
                        }
                        if context.member?.role == .admin && (context.path == "/admin" || context.path.hasPrefix("/admin/")) {
                            AdminNav(context: context)
                        }
                        content
                    }
                    footer
                }
            }
        }
        return HTMLRenderer.render(html)
    }

    /// One row on a wide screen: the name, the community's places, "Need help now?" and the
    /// member's own menu. On a phone: the name, "Need help now?" and a menu that opens without
    /// JavaScript (`<details>`), so the page's content starts near the top. The team's pages
    /// have their own sub-navigation; the header only leads to them.
    private var header: Component {
        let t = context.t
        return El("header", ["class": "site-header"]) {
            El("div", ["class": "wrap header-inner"]) {
                El("a", ["class": "brand", "href": "/"]) { T("Depression Connect") }
                if let member = context.member {
                    El("nav", ["class": "main-nav nav-wide", "aria-label": t("layout.nav_main")]) {
                        El("ul") {
                            for item in places(for: member) { El("li") { link(item, counted: true) } }
                        }
                    }
                }
                El("div", ["class": "header-actions"]) {
                    El("a", ["class": "help-now", "href": "/help"]) { T(t("layout.help_now")) }
                    if let member = context.member {
                        El("details", ["class": "menu account-menu nav-wide"]) {
                            El("summary", ["id": "account-menu-button"]) {
                                Avatar(pseudonym: member.pseudonym, choice: member.avatarColour)
                                El("span", ["class": "menu-label"]) { T(t("layout.account_menu")) }
                            }
                            El("div", ["class": "menu-panel"]) {
                                El("ul") {
                                    for item in ownPages(for: member) { El("li") { link(item, counted: false) } }
                                }
                                logoutForm(id: "logout-submit", formID: "logout-form")
                            }
                        }
                        El("details", ["class": "menu site-menu nav-compact"]) {
                            El("summary", ["id": "site-menu-button"]) {
                                T(t("layout.menu"))
                                if !context.onBreak && context.unreadNotifications + context.unreadMessages > 0 {
                                    El("span", ["class": "count"]) {
                                        T(" \(context.unreadNotifications + context.unreadMessages)")
                                        El("span", ["class": "visually-hidden"]) { T(" " + t("notifications.unread")) }
                                    }
                                }
                            }
                            El("nav", ["class": "menu-panel", "aria-label": t("layout.nav_main")]) {
                                El("ul") {
                                    for item in places(for: member) + ownPages(for: member) { El("li") { link(item, counted: false) } }
                                }
                                logoutForm(id: nil, formID: nil)
                            }
                        }
                    } else {
                        languageSwitch
                    }
                }
            }
        }
    }

    /// A header link; `counted` adds the live counts (one place only: they carry ids).
    private func link(_ item: (path: String, key: String), counted: Bool) -> Component {
        let t = context.t
        let count = item.path == "/notifications" ? context.unreadNotifications : item.path == Paths.messages ? context.unreadMessages : 0
        return El("a", ["href": item.path, "aria-current": context.path == item.path ? "page" : nil]) {
            T(t(item.key))
            // A quiet count, not a red badge; nothing at all during a break.
            if item.path == "/notifications" && !context.onBreak && counted {
                El("span", ["id": "notification-count", "class": "count", "hidden": count == 0 ? "" : nil]) {
                    T(" \(count)")
                    El("span", ["class": "visually-hidden"]) { T(" " + t("notifications.unread")) }
                }
            } else if item.path == Paths.messages && !context.onBreak && count > 0 {
                El("span", ["id": counted ? "message-count" : nil, "class": "count"]) {
                    T(" \(count)")
                    El("span", ["class": "visually-hidden"]) { T(" " + t("messages.unread")) }
                }
            } else if item.path == "/notifications" && !context.onBreak && count > 0 {
                El("span", ["class": "count"]) {
                    T(" \(count)")
                    El("span", ["class": "visually-hidden"]) { T(" " + t("notifications.unread")) }
                }
            }
        }
    }

    private func logoutForm(id: String?, formID: String?) -> Component {
        El("form", ["id": formID, "class": "inline-form logout-form", "method": "post", "action": "/logout"]) {
            CSRFField(token: context.csrfToken)
            El("button", ["id": id, "class": "link-button", "type": "submit"]) { T(context.t("layout.logout")) }
        }
    }

    /// Visitors switch language with a form (no JavaScript); members choose it in settings.
    private var languageSwitch: Component {
        El("form", ["class": "language-switch inline-form", "method": "post", "action": "/language"]) {
            CSRFField(token: context.csrfToken)
            VoidEl("input", ["type": "hidden", "name": "return_to", "value": context.path])
            for locale in AppLocale.allCases {
                El(
                    "button",
                    [
                        "id": "lang-\(locale.rawValue)", "class": "link-button", "type": "submit", "name": "locale",
                        "value": locale.rawValue, "lang": locale.rawValue,
                        "aria-pressed": locale == context.locale ? "true" : "false",
                    ]
                ) { T(locale.ownName) }
            }
        }
    }

    /// The community's places, and for moderators their dashboard: few enough for one row.
    private func places(for member: Member) -> [(path: String, key: String)] {
        // A researcher's pages are the research pages (see `ResearcherConfinement`).
        if member.role == .researcher { return [(Paths.research, "nav.research"), (Paths.researchStudies, "nav.studies")] }
        var items: [(path: String, key: String)] = [
            ("/", "nav.home"), (Paths.news, "nav.news"), (Paths.blogs, "nav.blogs"), (Paths.messages, "nav.messages"), ("/search", "nav.search"),
            ("/notifications", "nav.notifications"),
        ]
        // The team's links show before two-factor is set up: those pages send them to set it up.
        if Guardian.isTeam(member) { items.append(("/mod", "nav.moderation")) }
        return items
    }

    /// The member's own pages, and for the team one link to each of their own areas (each with
    /// its sub-navigation), in the account menu.
    private func ownPages(for member: Member) -> [(path: String, key: String)] {
        if member.role == .researcher { return [("/manual", "nav.manual"), ("/settings", "nav.settings")] }
        var items: [(path: String, key: String)] = [
            (Paths.profile(member), "nav.profile"), ("/notices", "nav.notices"), ("/settings", "nav.settings"), ("/manual", "nav.manual"),
        ]
        if member.role == .admin { items.append(("/admin", "nav.admin")) }
        if Guardian.canResearch(member) { items.append((Paths.research, "nav.research")) }
        return items
    }

    private var footer: Component {
        let t = context.t
        return El("footer", ["class": "site-footer"]) {
            El("div", ["class": "wrap"]) {
                El("nav", ["aria-label": t("layout.nav_footer")]) {
                    El("ul") {
                        for (path, key) in [("/terms", "page.terms"), ("/privacy", "page.privacy"), ("/rules", "page.rules"), ("/help", "page.help")]
                        {
                            El("li") { El("a", ["href": path]) { T(t(key)) } }
                        }
                    }
                }
                El("p", ["class": "muted"]) {
                    // The emergency number can be called from a phone with one tap.
                    let parts = t("layout.footer_note", ["phone": "\u{1}"]).components(separatedBy: "\u{1}")
                    T(parts[0])
                    El("a", ["href": "tel:112"]) { T("112") }
                    T(parts.dropFirst().joined())
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
struct CSRFField: Component {
    let token: String
    var body: Component {
        VoidEl("input", ["type": "hidden", "name": CSRFProtection.fieldName, "value": token])
    }
}

extension Request {
    /// Renders a page in the site's layout.
    func page(_ title: String, status: HTTPResponseStatus = .ok, @ComponentBuilder content: () -> ComponentGroup) -> Response {
        let html = Layout(context: pageContext, title: title, content: content()).render()
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: html))
    }
}
