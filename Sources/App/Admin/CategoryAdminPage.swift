import Plot
import Vapor

/// The themes, each with a form to edit it, and a form to add one.
struct CategoryAdminPage {
    let categories: [Category]
    var newForm = CategoryForm()
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let e = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("admin.category.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("admin.category.title")) }
            for category in categories {
                let id = category.id ?? 0
                El("section", ["class": "card", "aria-labelledby": "category-\(id)-heading"]) {
                    El("h2", ["id": "category-\(id)-heading"]) {
                        T(category.name(c.locale))
                        if category.archived {
                            T(" ")
                            El("span", ["class": "badge"]) { T(t("admin.category.archived")) }
                        }
                    }
                    El("form", ["class": "stack-form", "method": "post", "action": Paths.adminCategory(category)]) {
                        CSRFField(token: c.csrfToken)
                        TextFieldRow(
                            id: "c\(id)-name_nl", type: "text", label: t("admin.category.name_nl"), value: category.nameNL, maxLength: 60,
                            name: "name_nl")
                        TextFieldRow(
                            id: "c\(id)-name_en", type: "text", label: t("admin.category.name_en"), value: category.nameEN, maxLength: 60,
                            name: "name_en")
                        TextFieldRow(
                            id: "c\(id)-description_nl", type: "text", label: t("admin.category.description_nl"), value: category.descriptionNL,
                            required: false, maxLength: 300, name: "description_nl")
                        TextFieldRow(
                            id: "c\(id)-description_en", type: "text", label: t("admin.category.description_en"), value: category.descriptionEN,
                            required: false, maxLength: 300, name: "description_en")
                        TextFieldRow(
                            id: "c\(id)-position", type: "number", label: t("admin.category.position"), value: String(category.position),
                            maxLength: 3, name: "position")
                        CheckboxRow(id: "c\(id)-archived", name: "archived", checked: category.archived) { T(t("admin.category.archive")) }
                        SubmitRow(id: "c\(id)-submit", label: t("settings.save"))
                    }
                }
            }
            El("section", ["class": "card", "aria-labelledby": "new-category-heading"]) {
                El("h2", ["id": "new-category-heading"]) { T(t("admin.category.new")) }
                if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
                El("form", ["id": "new-category-form", "class": "stack-form", "method": "post", "action": "/admin/categories", "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    TextFieldRow(
                        id: "name_nl", type: "text", label: t("admin.category.name_nl"), value: newForm.name_nl ?? "", error: e("name_nl"),
                        maxLength: 60)
                    TextFieldRow(
                        id: "name_en", type: "text", label: t("admin.category.name_en"), value: newForm.name_en ?? "", error: e("name_en"),
                        maxLength: 60)
                    TextFieldRow(
                        id: "description_nl", type: "text", label: t("admin.category.description_nl"), value: newForm.description_nl ?? "",
                        error: e("description_nl"), required: false, maxLength: 300)
                    TextFieldRow(
                        id: "description_en", type: "text", label: t("admin.category.description_en"), value: newForm.description_en ?? "",
                        error: e("description_en"), required: false, maxLength: 300)
                    SubmitRow(id: "new-category-submit", label: t("admin.category.add"))
                }
            }
        }
    }
}
