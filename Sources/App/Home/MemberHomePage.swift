import Plot
import Vapor

/// A member's starting page: the themes with what is new, and the latest activity.
struct MemberHomePage {
    let member: Member
    let categories: [Category]
    let unread: [Int: Int]
    let latest: [TopicRow]
    let next: TopicCursor?
    /// Topics with activity since the previous visit; nil on a first visit.
    var sinceLastVisit: Int? = nil
    /// Topics still waiting for a reply, for a member who chose to be shown them (at most three).
    var waiting: [WaitingTopic] = []
    /// The private note for a member who has replied in many heavy topics lately.
    var careNote = false
    /// News items the team pinned to the home page.
    var news: [NewsRow] = []
    /// A study runs that the member has not answered yet: the research team asks, once.
    var askResearch = false
    /// Questionnaires the member was invited to and has not finished.
    var openQuestionnaires = 0

    /// The topics with new posts since the previous visit (at most `TopicList.newSinceLimit`).
    var newSinceLastVisit: [TopicRow] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let byID = Dictionary(uniqueKeysWithValues: categories.compactMap { cat in cat.id.map { ($0, cat) } })
        return req.page(t("home.member_title")) {
            El("div", ["id": "member-home"]) {
                El("h1") { T(t("home.member_greeting", ["name": member.pseudonym])) }
                El("p", ["class": "lead"]) { T(t("home.member_lead")) }
                if careNote { CareNoteBanner(context: c) }
                if openQuestionnaires > 0 {
                    El("section", ["class": "card", "aria-labelledby": "questionnaires-heading", "id": "questionnaires-waiting"]) {
                        El("h2", ["id": "questionnaires-heading"]) { T(t("questionnaire.home_heading")) }
                        El("p") { T(t("questionnaire.home", count: openQuestionnaires)) }
                        El("p") {
                            El("a", ["class": "button button-secondary", "id": "questionnaires-link", "href": Paths.researchQuestionnaires]) {
                                T(t("questionnaire.home_link"))
                            }
                        }
                    }
                }
                if askResearch {
                    El("section", ["class": "card", "aria-labelledby": "research-ask-heading", "id": "research-ask"]) {
                        El("h2", ["id": "research-ask-heading"]) { T(t("research.ask_heading")) }
                        El("p") { T(t("research.ask_lead")) }
                        El("p") {
                            El("a", ["class": "button button-secondary", "id": "research-ask-link", "href": Paths.researchConsent]) {
                                T(t("research.read_letter"))
                            }
                        }
                    }
                }
                if !news.isEmpty {
                    El("section", ["aria-labelledby": "home-news-heading", "id": "home-news"]) {
                        El("h2", ["id": "home-news-heading"]) { T(t("home.news_heading")) }
                        NewsListView(rows: news, themes: byID, context: c, nextLink: nil)
                        El("p") { El("a", ["href": Paths.news]) { T(t("home.news_all")) } }
                    }
                }
                // Latest activity first: what is new for this member, then the latest topics.
                El("section", ["aria-labelledby": "latest-heading", "id": "latest-activity"]) {
                    El("div", ["class": "page-head"]) {
                        El("h2", ["id": "latest-heading"]) { T(t("forum.latest")) }
                        El("a", ["class": "button button-primary", "id": "start-topic", "href": Paths.newTopic]) { T(t("home.start_topic")) }
                    }
                    if sinceLastVisit != nil && !c.onBreak {
                        if newSinceLastVisit.isEmpty {
                            El("p", ["id": "since-last-visit", "class": "muted"]) { T(t("home.nothing_new")) }
                        } else {
                            El("h3", ["id": "since-last-visit"]) { T(t("home.new_heading")) }
                            TopicListView(
                                rows: newSinceLastVisit, categories: byID, showCategory: true, context: c, nextLink: nil,
                                listID: "new-since-list")
                        }
                    }
                    El("h3", ["id": "latest-topics-heading"]) { T(t("home.latest_heading")) }
                    TopicListView(
                        rows: latest, categories: byID, showCategory: true, context: c,
                        nextLink: next.map { "/?after=\($0.token)" }, emptyKey: "home.quiet_day", listID: "latest-list")
                }
                if !waiting.isEmpty { ResponderListSection(topics: waiting, context: c) }
                El("section", ["aria-labelledby": "themes-heading", "id": "themes"]) {
                    El("h2", ["id": "themes-heading"]) { T(t("forum.themes")) }
                    El("ul", ["class": "category-list category-grid"]) {
                        for category in categories {
                            let count = unread[category.id ?? 0] ?? 0
                            El("li", ["class": "category-row"]) {
                                El("a", ["href": Paths.category(category)]) { T(category.name(c.locale)) }
                                if count > 0 && !c.onBreak {
                                    T(" ")
                                    El("span", ["class": "badge badge-unread"]) { T(t("forum.unread_count", count: count)) }
                                }
                                El("p", ["class": "muted"]) { T(category.description(c.locale)) }
                            }
                        }
                    }
                }
                El("form", ["class": "search-form", "method": "get", "action": "/search", "role": "search"]) {
                    El("label", ["for": "home-search"]) { T(t("search.label")) }
                    El("div", ["class": "search-row"]) {
                        VoidEl("input", ["id": "home-search", "name": "q", "type": "search", "maxlength": "200"])
                        El("button", ["class": "button button-secondary", "type": "submit"]) { T(t("search.submit")) }
                    }
                }
                El("div", ["class": "callout callout-crisis"]) {
                    El("h2") { T(t("home.help_title")) }
                    El("p") {
                        T(t("home.help_body") + " ")
                        El("a", ["href": "/help"]) { T(t("page.help")) }
                    }
                }
            }
        }
    }
}
