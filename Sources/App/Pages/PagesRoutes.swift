import Fluent
import Vapor

/// The editable pages: terms, privacy, rules and help are public; the manual (and its page on
/// looking after yourself) is for members.
struct PagesRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for slug in [PageSlug.terms, .privacy, .rules, .help] {
            routes.get(PathComponent(stringLiteral: slug.rawValue)) { req in try await show(slug, req) }
        }
        routes.grouped(RequireMember()).get("manual") { req in try await show(.manual, req) }
        routes.grouped(RequireMember()).get("manual", "self-care") { req in try await show(.selfCare, req) }
    }

    /// Shows the newest version of a page in the response's language.
    func show(_ slug: PageSlug, _ req: Request) async throws -> Response {
        guard let page = try await PageVersions.current(slug, locale: req.locale, on: req.db) else {
            throw AppError.notFound
        }
        return req.page(page.title) {
            El("article", ["id": "page-\(slug.rawValue)"]) {
                El("h1") { T(page.title) }
                El("div", ["class": "prose"]) { CookedHTML(html: page.bodyHTML) }
                // After the first-login invitation, the manual leads on to where the member was going.
                if slug == .manual, req.query[String.self, at: "first"] == "1" {
                    El("p") {
                        El(
                            "a",
                            [
                                "id": "manual-continue", "class": "button button-primary",
                                "href": LocalPath.sanitise(req.query[String.self, at: "next"]),
                            ]
                        ) { T(req.t("intro.manual_continue")) }
                    }
                }
                El("p", ["class": "muted"]) {
                    T(
                        req.t(
                            "page.version",
                            [
                                "version": String(page.version),
                                "date": DateFormatting.day(page.createdAt, locale: req.locale),
                            ]))
                }
            }
        }
    }
}
