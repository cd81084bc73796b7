import Fluent
import Vapor

/// GET /search?q=&in=&category=: ranked posts (forum, news and blog entries, with their
/// comments) with highlighted snippets.
struct SearchRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireMember()).get("search", use: search)
    }

    func search(req: Request) async throws -> Response {
        let query = String((req.query[String.self, at: "q"] ?? "").prefix(200))
        let categories = try await Category.ordered(on: req.db)
        let selected = categories.first { $0.slug == req.query[String.self, at: "category"] }
        let scope = SearchScope(rawValue: req.query[String.self, at: "in"] ?? "") ?? .everywhere
        let after = SearchCursor(token: req.query[String.self, at: "after"])
        let results =
            query.isEmpty
            ? SearchResults() : try await SearchIndex(database: req.db).search(query, categoryID: selected?.id, scope: scope, after: after)
        return SearchPage(query: query, categories: categories, selected: selected, results: results, scope: scope, isLaterPage: after != nil)
            .render(req)
    }
}

/// The search form and its results.
struct SearchPage {
    let query: String
    let categories: [Category]
    let selected: Category?
    let results: SearchResults
    var scope: SearchScope = .everywhere
    /// Beyond the first page: a link back to the start.
    var isLaterPage = false
    private var hits: [SearchHit] { results.hits }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { cat in cat.id.map { ($0, cat.name(c.locale)) } })
        return req.page(t("search.title")) {
            El("h1") { T(t("search.title")) }
            El("form", ["id": "search-form", "class": "stack-form", "method": "get", "action": "/search", "role": "search"]) {
                TextFieldRow(id: "q", type: "search", label: t("search.label"), value: query, required: false, maxLength: 200)
                SelectRow(
                    id: "in", label: t("search.scope"),
                    options: SearchScope.allCases.map { ($0.rawValue, t("search.scope.\($0 == .everywhere ? "everywhere" : $0.rawValue)")) },
                    selected: scope.rawValue)
                El("div", ["class": "field"]) {
                    El("label", ["for": "category"]) { T(t("search.category")) }
                    El("select", ["id": "category", "name": "category"]) {
                        El("option", ["value": ""]) { T(t("search.all_categories")) }
                        for category in categories {
                            El("option", ["value": category.slug, "selected": category.id == selected?.id ? "" : nil]) { T(category.name(c.locale)) }
                        }
                    }
                }
                SubmitRow(id: "search-submit", label: t("search.submit"))
            }
            if !query.isEmpty {
                El("h2", ["id": "search-count"]) {
                    T(
                        results.countCapped
                            ? t("search.results_more", ["cap": t.number(SearchIndex.countCap)]) : t("search.results", count: results.count))
                }
                if hits.isEmpty {
                    El("p", ["class": "muted", "id": "no-results"]) { T(t("search.none")) }
                } else {
                    El("ol", ["class": "search-results", "id": "search-results"]) {
                        for hit in hits {
                            El("li") {
                                El("a", ["href": Paths.postNumber(hit.postNumber, inTopic: hit.topicID, kind: hit.kind)]) { T(hit.topicTitle) }
                                El("span", ["class": "muted"]) {
                                    T(
                                        " · "
                                            + (hit.kind == .forum
                                                ? (names[hit.categoryID] ?? "") : t("search.scope.\(hit.kind == .news ? "news" : "blogs")")))
                                }
                                El("p", ["class": "snippet"]) { CookedHTML(html: hit.snippetHTML) }
                            }
                        }
                    }
                    El("nav", ["class": "pagination", "aria-label": t("search.pages")]) {
                        if isLaterPage {
                            El("a", ["id": "search-first", "href": Paths.search(query: query, scope: scope, category: selected)]) {
                                T(t("search.first_page"))
                            }
                        }
                        if let next = results.next {
                            T(" ")
                            El(
                                "a",
                                [
                                    "id": "search-next", "class": "button button-secondary", "rel": "next",
                                    "href": Paths.search(query: query, scope: scope, category: selected, after: next),
                                ]
                            ) { T(t("search.next_page")) }
                        }
                    }
                }
            }
        }
    }
}
