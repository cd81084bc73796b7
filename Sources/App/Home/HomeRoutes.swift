import Fluent
import Vapor

/// The front door for visitors, the starting page for members, and the language switch.
struct HomeRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.post("language", use: switchLanguage)
    }

    /// GET /: what the community is (visitors) or a calm start page (members): for a member who
    /// chose it, a few topics waiting for a reply; the care note when they were given one.
    func home(req: Request) async throws -> Response {
        if let member = req.member {
            let memberID = try member.requireID()
            let list = TopicList(database: req.db)
            let categories = try await Category.ordered(on: req.db)
            let latest = try await list.load(
                viewer: memberID, categoryID: nil, pinned: nil,
                after: TopicCursor(token: req.query[String.self, at: "after"]))
            // New since the last visit: only on the first page, and not on a first visit.
            var newSince = [TopicRow]()
            if let previous = member.previousVisitAt, req.query[String.self, at: "after"] == nil {
                newSince = try await list.load(
                    viewer: memberID, categoryID: nil, pinned: nil, after: nil, unreadSince: previous, limit: TopicList.newSinceLimit
                ).rows
            }
            let now = req.connect.clock.now()
            let research = try await ResearchQueries.homeCards(memberID, now: now, on: req.db)
            return MemberHomePage(
                member: member, categories: categories, unread: try await list.unreadCounts(viewer: memberID, now: now),
                latest: latest.rows, next: latest.next, sinceLastVisit: member.previousVisitAt == nil ? nil : newSince.count,
                waiting: try await ResponseWatch.forResponder(member, now: now, on: req.db),
                careNote: ResponderCare.showsNote(to: member, now: now),
                news: try await NewsQueries.pinned(locale: req.locale, on: req.db),
                askResearch: research.ask, openQuestionnaires: research.open, newSinceLastVisit: newSince
            ).render(req)
        }
        let page = try await PageVersions.current(.home, locale: req.locale, on: req.db)
        let t = req.pageContext.t
        return req.page(page?.title ?? "Depression Connect") {
            El("div", ["id": "visitor-home"]) {
                El("h1") { T(page?.title ?? "Depression Connect") }
                El("div", ["class": "prose"]) { CookedHTML(html: page?.bodyHTML ?? "") }
                El("div", ["class": "form-actions"]) {
                    El("a", ["class": "button button-primary", "href": "/signup"]) { T(t("signup.title")) }
                    El("a", ["class": "button button-secondary", "href": "/login"]) { T(t("login.title")) }
                }
            }
        }
    }

    /// POST /language: a visitor's choice goes in a cookie; a member's is saved with the account.
    func switchLanguage(req: Request) async throws -> Response {
        let raw = (try? req.content.get(String.self, at: "locale")) ?? ""
        let returnTo = LocalPath.sanitise(try? req.content.get(String.self, at: "return_to"))
        guard let locale = AppLocale(rawValue: raw) else { return req.redirect(to: returnTo) }
        if let member = req.member {
            member.locale = locale
            try await member.save(on: req.db)
        }
        let response = req.redirect(to: returnTo)
        response.cookies[LocaleResolver.cookieName] = HTTPCookies.Value(
            string: locale.rawValue, maxAge: 60 * 60 * 24 * 365, path: "/",
            isSecure: req.connect.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}
