import Plot
import Vapor

/// The community's settings that admins choose: when a topic without a reply waits for a
/// response, and when a member who responds a lot gets the care note.
struct SiteSettingsPage {
    let settings: SiteSettings
    var errors = FormErrors()
    /// What was typed, when the form comes back with errors.
    var form: SiteSettingsForm? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let row = { (key: SiteSettings.Key) -> Component in
            TextFieldRow(
                id: key.field, type: "text", label: t("site_settings.field.\(key.field)"),
                hint: t("site_settings.range", ["min": String(key.range.lowerBound), "max": String(key.range.upperBound)]),
                value: form?.typed(key) ?? String(settings[key]), error: errors.message(for: key.field).map { t($0) }, maxLength: 3)
        }
        return req.page(t("site_settings.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("site_settings.title")) }
            El("p", ["class": "lead"]) { T(t("site_settings.lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "site-settings-form", "class": "stack-form", "method": "post", "action": Paths.adminSettings, "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                El("fieldset") {
                    El("legend") { T(t("site_settings.waiting_legend")) }
                    El("p", ["class": "hint"]) { T(t("site_settings.waiting_hint")) }
                    row(.responseWaitHours)
                    row(.firstTopicWaitHours)
                }
                El("fieldset") {
                    El("legend") { T(t("site_settings.care_legend")) }
                    El("p", ["class": "hint"]) { T(t("site_settings.care_hint")) }
                    row(.careTopics)
                    row(.careDays)
                }
                SubmitRow(id: "site-settings-submit", label: t("settings.save"))
            }
        }
    }
}
