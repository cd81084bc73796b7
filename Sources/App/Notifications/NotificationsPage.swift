import Foundation
import Plot
import Vapor

/// The notifications list: calm, newest first, each one a link; unread ones stand out a little.
struct NotificationsPage {
    let rows: [NotificationRow]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let unread = rows.filter { $0.readAt == nil }.count
        return req.page(t("notifications.title")) {
            El("h1") { T(t("notifications.title")) }
            El("p", ["class": "lead"]) { T(t(unread == 0 ? "notifications.all_caught_up" : "notifications.lead")) }
            El("p") {
                El("a", ["href": "/settings/notifications"]) { T(t("notifications.settings_link")) }
                T(" · ")
                El("a", ["href": "/settings/break"]) { T(t("break.title")) }
            }
            if unread > 0 {
                El("form", ["id": "read-all-form", "method": "post", "action": "/notifications/read-all"]) {
                    CSRFField(token: c.csrfToken)
                    El("button", ["id": "read-all-submit", "class": "button button-secondary", "type": "submit"]) { T(t("notifications.read_all")) }
                }
            }
            if rows.isEmpty {
                El("p", ["id": "no-notifications", "class": "muted"]) { T(t("notifications.none")) }
            } else {
                El("ul", ["id": "notifications", "class": "plain-list notification-list"]) {
                    for row in rows {
                        El("li", ["class": row.readAt == nil ? "notification unread" : "notification"]) {
                            if row.readAt == nil && !c.onBreak {
                                El("span", ["class": "badge"]) { T(t("notifications.new")) }
                                T(" ")
                            }
                            El("a", ["href": Paths.notificationOpen(id: row.id)]) {
                                if TeamBadge.shows(row.actorRole), let parts = row.sentenceAroundName(c.localizer, c.locale) {
                                    T(parts.before + parts.name)
                                    TeamBadge(role: row.actorRole, context: c)
                                    T(parts.after)
                                } else {
                                    T(row.sentence(c.localizer, c.locale))
                                }
                            }
                            T(" ")
                            El("time", ["class": "muted", "datetime": DateFormatting.iso(row.updatedAt)]) {
                                T(DateFormatting.dayTime(row.updatedAt, locale: c.locale))
                            }
                            if row.readAt == nil {
                                El("form", ["class": "inline-form", "method": "post", "action": Paths.notificationRead(id: row.id)]) {
                                    CSRFField(token: c.csrfToken)
                                    El(
                                        "button",
                                        [
                                            "class": "link-button", "type": "submit",
                                            "aria-label": t("notifications.mark_read_label", ["what": row.sentence(c.localizer, c.locale)]),
                                        ]
                                    ) {
                                        T(t("notifications.mark_read"))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
