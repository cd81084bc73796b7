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
                        content
                    }
                    footer
                }
            }
        }
        return HTMLRenderer.render(html)
    }

    private var header: Component {
        let t = context.t
        return El("header", ["class": "site-header"]) {
            El("div", ["class": "wrap header-inner"]) {
                El("a", ["class": "brand", "href": "/"]) { T("Depression Connect") }
                if let member = context.member {
                    El("nav", ["class": "main-nav", "aria-label": t("layout.nav_main")]) {
                        El("ul") {
                            for item in navigation(for: member) {
                                El("li") {
                                    El("a", ["href": item.path, "aria-current": context.path == item.path ? "page" : nil]) {
                                        T(t(item.key))
                                        // A quiet count, not a red badge; nothing at all during a break.
                                        if item.path == "/notifications" && !context.onBreak {
                                            El(
                                                "span",
                                                [
                                                    "id": "notification-count", "class": "count",
                                                    "hidden": context.unreadNotifications == 0 ? "" : nil,
                                                ]
                                            ) {
                                                T(" \(context.unreadNotifications)")
                                                El("span", ["class": "visually-hidden"]) { T(" " + t("notifications.unread")) }
                                            }
                                        }
                                        if item.path == Paths.messages && !context.onBreak && context.unreadMessages > 0 {
                                            El("span", ["id": "message-count", "class": "count"]) {
                                                T(" \(context.unreadMessages)")
                                                El("span", ["class": "visually-hidden"]) { T(" " + t("messages.unread")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                El("div", ["class": "header-actions"]) {
                    El("a", ["class": "help-now", "href": "/help"]) { T(t("layout.help_now")) }
                    if context.member != nil {
                        El("form", ["id": "logout-form", "class": "inline-form", "method": "post", "action": "/logout"]) {
                            CSRFField(token: context.csrfToken)
                            El("button", ["id": "logout-submit", "class": "link-button", "type": "submit"]) { T(t("layout.logout")) }
                        }
                    } else {
                        languageSwitch
                    }
                }
            }
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

    private func navigation(for member: Member) -> [(path: String, key: String)] {
        // A researcher's pages are the research pages (see `ResearcherConfinement`).
        if member.role == .researcher {
            return [
                (Paths.research, "nav.research"), (Paths.researchStudies, "nav.studies"), ("/manual", "nav.manual"), ("/settings", "nav.settings"),
            ]
        }
        var items: [(String, String)] = [
            ("/", "nav.home"), (Paths.news, "nav.news"), (Paths.blogs, "nav.blogs"), (Paths.messages, "nav.messages"), ("/search", "nav.search"),
            ("/manual", "nav.manual"), ("/notifications", "nav.notifications"),
            ("/notices", "nav.notices"), ("/settings", "nav.settings"),
        ]
        // The team's links show before two-factor is set up: those pages send them to set it up.
        if Guardian.isTeam(member) { items.append(("/mod", "nav.moderation")) }
        if member.role == .admin {
            items.append(("/admin", "nav.admin"))
            items.append(("/admin/categories", "nav.categories"))
            items.append(("/admin/pages", "nav.pages"))
            items.append(("/admin/sources", "nav.sources"))
            items.append(("/admin/audit", "nav.audit"))
            items.append((Paths.adminSettings, "nav.site_settings"))
        }
        if Guardian.canResearch(member) { items.append(("/research", "nav.research")) }
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
                El("p", ["class": "muted"]) { T(t("layout.footer_note")) }
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
