import Foundation
import Plot
import Vapor

/// The safety plan form: four optional parts in the member's own words.
struct SafetyPlanPage {
    static let keys = ["warning_signs", "what_helps", "people", "professionals"]

    let typed: [String: String]
    let updatedAt: Date?
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("safety_plan.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("safety_plan.title")) }
            El("p", ["class": "lead"]) { T(t("safety_plan.lead")) }
            El("p") { T(t("safety_plan.private")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "safety-plan-form", "class": "stack-form", "method": "post", "action": "/settings/safety-plan", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                for key in Self.keys {
                    TextAreaRow(
                        id: key, label: t("safety_plan.\(key)"), hint: t("safety_plan.\(key)_hint"), value: typed[key] ?? "",
                        error: errors.message(for: key).map { t($0) }, required: false, rows: 4, maxLength: SafetyPlan.maxLength)
                }
                SubmitRow(id: "safety-plan-submit", label: t("safety_plan.save"))
            }
            if let updatedAt {
                El("p", ["class": "muted"]) { T(t("safety_plan.updated", ["date": DateFormatting.dayTime(updatedAt, locale: c.locale)])) }
            }
            El("p") { El("a", ["href": "/settings"]) { T(t("settings.title")) } }
        }
    }
}

/// The member's plan, as the support page shows it above the general crisis help.
struct SafetyPlanSummary: Component {
    let plan: SafetyPlan
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("section", ["class": "callout safety-plan", "id": "my-safety-plan", "aria-labelledby": "my-safety-plan-heading"]) {
            El("h2", ["id": "my-safety-plan-heading"]) { T(t("safety_plan.yours")) }
            El("dl") {
                for part in plan.parts where !part.text.isEmpty {
                    El("dt") { T(t("safety_plan.\(part.key)")) }
                    El("dd") { El("p", ["class": "plan-text"]) { T(part.text) } }
                }
            }
        }
    }
}
