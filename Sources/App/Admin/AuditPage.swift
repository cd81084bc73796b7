import Foundation
import Plot
import Vapor

/// The audit log with its filters.
struct AuditPage {
    struct Entry: Sendable {
        let action: String
        let createdAt: Date
        let target: String?
        let reason: String?
        let detail: String
        let before: String?
        let after: String?
        let actor: String?
        let subject: String?
    }

    static let pageSize = 50

    let entries: [Entry]
    let action: String
    let actor: String
    let subject: String
    let more: Bool

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("audit.title")) {
            El("h1") { T(t("audit.title")) }
            El("p", ["class": "lead"]) { T(t("audit.lead")) }
            El("form", ["id": "audit-filter", "class": "stack-form", "method": "get", "action": "/admin/audit"]) {
                TextFieldRow(
                    id: "action", type: "text", label: t("audit.filter.action"), hint: t("audit.filter.action_hint"),
                    value: action, required: false, maxLength: 100)
                TextFieldRow(id: "actor", type: "text", label: t("audit.filter.actor"), value: actor, required: false, maxLength: 100)
                TextFieldRow(id: "member", type: "text", label: t("audit.filter.member"), value: subject, required: false, maxLength: 100)
                SubmitRow(id: "audit-filter-submit", label: t("audit.filter.submit"))
            }
            if entries.isEmpty {
                El("p", ["class": "muted"]) { T(t("audit.none")) }
            } else {
                // Focusable so keyboard users can scroll it sideways.
                El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": t("audit.caption")]) {
                    El("table", ["id": "audit-entries"]) {
                        El("caption") { T(t("audit.caption")) }
                        El("thead") {
                            El("tr") {
                                for key in [
                                    "audit.col.time", "audit.col.actor", "audit.col.action", "audit.col.target", "audit.col.member",
                                    "audit.col.reason", "audit.col.change",
                                ] {
                                    El("th", ["scope": "col"]) { T(t(key)) }
                                }
                            }
                        }
                        El("tbody") {
                            for entry in entries {
                                El("tr") {
                                    El("td") {
                                        El("time", ["datetime": DateFormatting.iso(entry.createdAt)]) {
                                            T(DateFormatting.dayTime(entry.createdAt, locale: c.locale))
                                        }
                                    }
                                    El("td") { T(entry.actor ?? t("audit.system")) }
                                    El("td") { El("code") { T(entry.action) } }
                                    El("td") { T(entry.target ?? "") }
                                    El("td") { T(entry.subject ?? "") }
                                    El("td") { T(entry.reason ?? entry.detail) }
                                    El("td") {
                                        if entry.before != nil || entry.after != nil {
                                            T("\(entry.before ?? "—") → \(entry.after ?? "—")")
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if more, let last = entries.last {
                El("p") {
                    El(
                        "a",
                        [
                            "href":
                                "/admin/audit?action=\(LocalPath.encode(action))&actor=\(LocalPath.encode(actor))&member=\(LocalPath.encode(subject))&before=\(last.createdAt.timeIntervalSince1970)"
                        ]
                    ) {
                        T(t("mod.more"))
                    }
                }
            }
        }
    }
}
