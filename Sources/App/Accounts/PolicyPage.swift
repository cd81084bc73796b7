import Plot
import Vapor

/// "We have updated …": each changed page to read, and a checkbox to accept it.
struct PolicyPage {
    struct Item {
        let slug: PageSlug
        let version: Int
        let title: String
        let bodyHTML: String
    }

    let pages: [Item]
    let next: String
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("terms.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("terms.title")) }
            El("p", ["class": "lead"]) { T(t("terms.lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            for page in pages {
                El("details", ["class": "policy-text", "id": "policy-\(page.slug.rawValue)"]) {
                    El("summary") { T(t("terms.read", ["title": page.title, "version": String(page.version)])) }
                    El("div", ["class": "prose"]) { CookedHTML(html: page.bodyHTML) }
                }
            }
            El("form", ["id": "accept-form", "class": "stack-form", "method": "post", "action": "/accept-terms", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "next", "value": next])
                for page in pages {
                    CheckboxRow(
                        id: "accept_\(page.slug.rawValue)", checked: false,
                        error: errors.message(for: "accept_\(page.slug.rawValue)").map { t($0) }
                    ) {
                        T(t("terms.accept", ["title": page.title]))
                    }
                }
                SubmitRow(id: "accept-submit", label: t("terms.submit"))
            }
            El("p", ["class": "muted"]) {
                T(t("terms.alternatives") + " ")
                El("a", ["href": "/help"]) { T(t("layout.help_now")) }
                T(" · ")
                El("a", ["href": "/settings/export"]) { T(t("export.title")) }
                T(" · ")
                El("a", ["href": "/settings/leave"]) { T(t("leave.title")) }
            }
            El("form", ["method": "post", "action": "/logout"]) {
                CSRFField(token: c.csrfToken)
                El("button", ["class": "button button-secondary", "type": "submit"]) { T(t("layout.logout")) }
            }
        }
    }
}
