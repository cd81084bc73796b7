import Fluent
import Plot
import Vapor

/// The pages and their current version.
struct PageListPage {
    let versions: [PageSlug: Int]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("admin.pages.title")) {
            El("h1") { T(t("admin.pages.title")) }
            El("p", ["class": "lead"]) { T(t("admin.pages.lead")) }
            El("ul", ["id": "pages"]) {
                for slug in PageSlug.allCases {
                    El("li") {
                        El("a", ["href": Paths.adminPage(slug)]) { T(t("admin.pages.slug.\(slug.rawValue)")) }
                        T(" · " + t("admin.pages.version", ["version": String(versions[slug] ?? 0)]))
                    }
                }
            }
        }
    }
}

/// Editing a page in both languages, with a preview and the earlier versions.
struct PageEditPage {
    let slug: PageSlug
    var form: PageForm
    let history: [(version: Int, createdAt: Date)]
    var errors = FormErrors()
    var previews: [AppLocale: String] = [:]

    static func load(slug: PageSlug, form: PageForm, on db: any Database) async throws -> PageEditPage {
        let rows = try await PageVersion.query(on: db).filter(\.$slug == slug.rawValue).filter(\.$locale == .nl)
            .sort(\.$version, .descending).limit(50).all()
        return PageEditPage(slug: slug, form: form, history: rows.map { ($0.version, $0.createdAt) })
    }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("admin.pages.edit", ["page": t("admin.pages.slug.\(slug.rawValue)")]), status: errors.isEmpty ? .ok : .unprocessableEntity)
        {
            El("h1") { T(t("admin.pages.edit", ["page": t("admin.pages.slug.\(slug.rawValue)")])) }
            if PageSlug.acceptedAtSignup.contains(slug) {
                El("p", ["class": "callout"]) { T(t("admin.pages.acceptance_note")) }
            }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            for (locale, html) in previews.sorted(by: { $0.key.rawValue > $1.key.rawValue }) {
                El("section", ["class": "card preview", "aria-labelledby": "preview-\(locale.rawValue)", "lang": locale.rawValue]) {
                    El("h2", ["id": "preview-\(locale.rawValue)"]) { T(t("admin.pages.preview_of", ["language": locale.ownName])) }
                    El("div", ["class": "prose"]) { CookedHTML(html: html) }
                }
            }
            El("form", ["id": "page-form", "class": "stack-form", "method": "post", "action": Paths.adminPage(slug), "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                for locale in [AppLocale.nl, .en] {
                    El("fieldset", ["lang": locale.rawValue]) {
                        El("legend") { T(locale.ownName) }
                        TextFieldRow(
                            id: "title_\(locale.rawValue)", type: "text", label: t("admin.pages.field.title"),
                            value: locale == .nl ? form.title_nl ?? "" : form.title_en ?? "", error: error("title_\(locale.rawValue)"), maxLength: 120
                        )
                        TextAreaRow(
                            id: "body_\(locale.rawValue)", label: t("admin.pages.field.body"), hint: t("forum.body_hint"),
                            value: locale == .nl ? form.body_nl ?? "" : form.body_en ?? "", error: error("body_\(locale.rawValue)"), rows: 14)
                    }
                }
                El("div", ["class": "form-actions"]) {
                    El("button", ["id": "page-publish", "class": "button button-primary", "type": "submit"]) { T(t("admin.pages.publish")) }
                    El("button", ["id": "page-preview", "class": "button button-secondary", "type": "submit", "name": "preview", "value": "1"]) {
                        T(t("forum.preview"))
                    }
                }
            }
            El("h2") { T(t("admin.pages.history")) }
            El("ul", ["id": "page-history"]) {
                for entry in history {
                    El("li") {
                        El("a", ["href": Paths.adminPageVersion(slug, version: entry.version)]) {
                            T(t("admin.pages.version", ["version": String(entry.version)]))
                        }
                        T(" · " + DateFormatting.dayTime(entry.createdAt, locale: c.locale))
                    }
                }
            }
        }
    }
}

/// An earlier version of a page, as it was published.
struct PageVersionPage {
    let slug: PageSlug
    let versions: [PageVersion]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let number = versions.first?.version ?? 0
        return req.page(t("admin.pages.version", ["version": String(number)])) {
            El("h1") { T(t("admin.pages.slug.\(slug.rawValue)") + " · " + t("admin.pages.version", ["version": String(number)])) }
            El("p") { El("a", ["href": Paths.adminPage(slug)]) { T(t("admin.pages.back")) } }
            for version in versions.sorted(by: { $0.locale.rawValue > $1.locale.rawValue }) {
                El("article", ["class": "card", "lang": version.locale.rawValue]) {
                    El("h2") { T(version.title) }
                    El("div", ["class": "prose"]) { CookedHTML(html: version.bodyHTML) }
                }
            }
        }
    }
}
