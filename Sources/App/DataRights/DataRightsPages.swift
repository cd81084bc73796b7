import Foundation
import Plot
import Vapor

/// The export page: ask for a copy; see how far it is; download it while it lasts.
struct ExportPage {
    let exports: [DataExport]
    let now: Date

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let busy = exports.contains { $0.status == .queued || $0.status == .building }
        return req.page(t("export.title")) {
            El("h1") { T(t("export.title")) }
            El("p", ["class": "lead"]) { T(t("export.lead")) }
            if !busy {
                El("form", ["id": "export-form", "method": "post", "action": "/settings/export"]) {
                    CSRFField(token: c.csrfToken)
                    El("button", ["id": "export-submit", "class": "button button-primary", "type": "submit"]) { T(t("export.request")) }
                }
            }
            if !exports.isEmpty {
                El("h2") { T(t("export.recent")) }
                El("ul", ["id": "exports", "class": "plain-list"]) {
                    for export in exports {
                        El("li", ["class": "export-item"]) {
                            El("p") { T(t("export.asked", ["date": DateFormatting.dayTime(export.createdAt, locale: c.locale)])) }
                            switch export.status {
                            case .queued, .building:
                                El("p") {
                                    El("label", ["for": "progress-\(export.id?.uuidString ?? "")"]) { T(t("export.building") + " ") }
                                    El(
                                        "progress",
                                        [
                                            "id": "progress-\(export.id?.uuidString ?? "")", "max": "100",
                                            "value": String(export.progress),
                                        ]
                                    ) { T("\(export.progress) %") }
                                    T(" \(export.progress) %")
                                }
                                El("p") { El("a", ["id": "export-refresh", "href": "/settings/export"]) { T(t("export.refresh")) } }
                            case .ready where export.expiresAt > now:
                                El("p") {
                                    El("a", ["class": "button button-secondary export-download", "href": Paths.exportDownload(export)]) {
                                        T(t("export.download"))
                                    }
                                    T(" ")
                                    El("span", ["class": "muted"]) {
                                        T(t("export.until", ["date": DateFormatting.dayTime(export.expiresAt, locale: c.locale)]))
                                    }
                                }
                            case .ready:
                                El("p", ["class": "muted"]) { T(t("export.expired")) }
                            case .failed:
                                El("p", ["class": "muted"]) { T(t("export.failed")) }
                            }
                        }
                    }
                }
            }
            El("p") { El("a", ["href": "/settings"]) { T(t("settings.title")) } }
        }
    }
}

/// Leaving: what happens, the choice about the posts, and the password to confirm.
struct LeavePage {
    var choice: String = ""
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("leave.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("leave.title")) }
            El("p", ["class": "lead"]) { T(t("leave.lead")) }
            El("ul") {
                El("li") { T(t("leave.point_closed")) }
                El("li") { T(t("leave.point_grace")) }
                El("li") { T(t("leave.point_erased")) }
            }
            El("p") {
                T(t("leave.export_first") + " ")
                El("a", ["href": "/settings/export"]) { T(t("export.title")) }
            }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "leave-form", "class": "stack-form", "method": "post", "action": "/settings/leave", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                RadioGroup(
                    name: "choice", legend: t("leave.choice"),
                    options: LeaveChoice.allCases.map { ($0.rawValue, t("leave.choice.\($0.rawValue)")) },
                    selected: choice, error: errors.message(for: "choice-keep_posts").map { t($0) })
                TextFieldRow(
                    id: "password", type: "password", label: t("field.current_password"),
                    error: errors.message(for: "password").map { t($0) }, autocomplete: "current-password", maxLength: 200)
                SubmitRow(id: "leave-submit", label: t("leave.submit"))
            }
            El("p") { El("a", ["href": "/settings"]) { T(t("leave.cancel")) } }
        }
    }
}

/// After leaving: calm words, and how to come back.
struct LeftPage {
    let until: Date

    func render(_ req: Request) -> Response {
        let t = req.pageContext.t
        return req.page(t("leave.done_title")) {
            El("h1", ["id": "left-title"]) { T(t("leave.done_title")) }
            El("p") { T(t("leave.done_body", ["date": DateFormatting.dayTime(until, locale: req.locale)])) }
            El("p") { El("a", ["href": "/help"]) { T(t("layout.help_now")) } }
        }
    }
}
