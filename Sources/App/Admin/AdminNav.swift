import Plot

/// Links between the administration pages, above each of them (the layout adds it on every
/// /admin page): the global header keeps one "Administration" link instead of six.
struct AdminNav: Component {
    let context: PageContext

    static let pages: [(path: String, key: String)] = [
        ("/admin", "nav.members"), ("/admin/categories", "nav.categories"), ("/admin/pages", "nav.pages"), ("/admin/sources", "nav.sources"),
        (Paths.adminTriggers, "nav.triggers"), ("/admin/audit", "nav.audit"), (Paths.adminSettings, "nav.site_settings"),
    ]

    var body: Component {
        let t = context.t
        return El("nav", ["class": "subnav", "aria-label": t("admin.nav")]) {
            El("ul") {
                for (path, key) in Self.pages {
                    El("li") { El("a", ["href": path, "aria-current": context.path == path ? "page" : nil]) { T(t(key)) } }
                }
            }
        }
    }
}
