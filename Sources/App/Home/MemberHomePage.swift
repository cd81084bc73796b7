import Plot
import Vapor

/// A member's starting page: a greeting, where to find help, and what there is to do.
struct MemberHomePage {
    let member: Member

    func render(_ req: Request) -> Response {
        let t = req.pageContext.t
        return req.page(t("home.member_title")) {
            El("div", ["id": "member-home"]) {
                El("h1") { T(t("home.member_greeting", ["name": member.pseudonym])) }
                El("p", ["class": "lead"]) { T(t("home.member_lead")) }
                El("div", ["class": "card"]) {
                    El("h2") { T(t("home.manual_title")) }
                    El("p") { T(t("home.manual_body")) }
                    El("p") { El("a", ["href": "/manual"]) { T(t("nav.manual")) } }
                }
                El("div", ["class": "card"]) {
                    El("h2") { T(t("home.pace_title")) }
                    El("p") { T(t("home.pace_body")) }
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
