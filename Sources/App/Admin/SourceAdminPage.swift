import Plot
import Vapor

/// The library of sources, with a form to add one.
struct SourceAdminPage {
    let sources: [Source]
    var form: SourceForm
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("admin.sources.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("admin.sources.title")) }
            El("p", ["class": "lead"]) { T(t("admin.sources.lead")) }
            if sources.isEmpty {
                El("p", ["class": "muted"]) { T(t("admin.sources.none")) }
            } else {
                El("ul", ["id": "sources"]) {
                    for source in sources {
                        El("li", ["class": source.archived ? "muted" : ""]) {
                            El("a", ["href": source.url, "rel": "noopener noreferrer"]) { T(source.title) }
                            T(" (\(source.language))")
                            if !source.description.isEmpty { T(" — \(source.description)") }
                            if source.archived {
                                T(" · " + t("admin.sources.archived"))
                            } else {
                                El("form", ["class": "inline-form", "method": "post", "action": Paths.adminSourceArchive(source)]) {
                                    CSRFField(token: c.csrfToken)
                                    El("button", ["class": "link-button", "type": "submit"]) { T(t("admin.sources.archive")) }
                                }
                            }
                        }
                    }
                }
            }
            El("h2") { T(t("admin.sources.add")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "source-form", "class": "stack-form", "method": "post", "action": "/admin/sources", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(
                    id: "title", type: "text", label: t("admin.sources.field.title"), value: form.title ?? "", error: error("title"), maxLength: 200)
                TextFieldRow(id: "url", type: "url", label: t("admin.sources.field.url"), value: form.url ?? "", error: error("url"), maxLength: 500)
                SelectRow(
                    id: "language", label: t("admin.sources.field.language"),
                    options: SourceForm.languages.map { ($0, t("admin.sources.language.\($0)")) }, selected: form.language, error: error("language"))
                TextAreaRow(
                    id: "description", label: t("admin.sources.field.description"), value: form.description ?? "",
                    error: error("description"), required: false, rows: 3, maxLength: 1_000)
                SubmitRow(id: "source-submit", label: t("admin.sources.add"))
            }
        }
    }
}
