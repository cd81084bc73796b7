import Foundation
import Plot
import Vapor

/// Tells a silenced member, calmly, that they can read but not post, and until when.
struct SilencedNotice: Component {
    let until: Date
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("div", ["id": "silenced-notice", "class": "callout", "role": "status"]) {
            El("h2") { T(t("silenced.title")) }
            El("p") {
                T(
                    until >= ModerationAction.indefinitely
                        ? t("silenced.indefinitely")
                        : t("silenced.until", ["date": DateFormatting.dayTime(until, locale: context.locale)]))
            }
            El("p") { El("a", ["href": "/notices"]) { T(t("silenced.why")) } }
        }
    }
}

/// The answer to a write by a silenced member: the notice, and what they typed, so nothing is lost.
struct SilencedPage {
    let until: Date
    var typed: String = ""

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        return req.page(c.t("silenced.title"), status: .forbidden) {
            El("h1") { T(c.t("silenced.title")) }
            SilencedNotice(until: until, context: c)
            if !typed.isEmpty {
                El("div", ["class": "field"]) {
                    El("label", ["for": "kept-text"]) { T(c.t("silenced.your_text")) }
                    El("textarea", ["id": "kept-text", "rows": "8", "readonly": ""]) { T(typed) }
                }
            }
        }
    }
}
