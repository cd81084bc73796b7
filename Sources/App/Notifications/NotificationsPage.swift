import Foundation
import Plot
import Vapor

/// The member's notifications, grouped by day (today, yesterday, then dates), newest first,
/// each with who acted, the time of day and a clear "mark as read" button.
struct NotificationsPage {
    let rows: [NotificationRow]

    /// The rows in groups of one calendar day each (in the reader's time zone), newest first.
    static func days(_ rows: [NotificationRow]) -> [(day: Date, rows: [NotificationRow])] {
        var groups = [(day: Date, rows: [NotificationRow])]()
        for row in rows {
            let day = DateFormatting.dayStart(row.updatedAt)
            if groups.last?.day == day {
                groups[groups.count - 1].rows.append(row)
            } else {
                groups.append((day, [row]))
            }
        }
        return groups
    }

    /// "Today", "Yesterday" or the date.
    static func dayName(_ day: Date, now: Date, t: Translator) -> String {
        let today = DateFormatting.dayStart(now)
        if day == today { return t("time.today") }
        if day == DateFormatting.dayStart(today.addingTimeInterval(-12 * 3_600)) { return t("time.yesterday") }
        return DateFormatting.day(day, locale: t.locale)
    }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let unread = rows.filter { $0.readAt == nil }.count
        return req.page(t("notifications.title")) {
            El("div", ["class": "page-head"]) {
                El("h1") { T(t("notifications.title")) }
                if unread > 0 {
                    El("form", ["id": "read-all-form", "class": "inline-form", "method": "post", "action": "/notifications/read-all"]) {
                        CSRFField(token: c.csrfToken)
                        El("button", ["id": "read-all-submit", "class": "button button-secondary", "type": "submit"]) {
                            T(t("notifications.read_all"))
                        }
                    }
                }
            }
            El("p", ["class": "lead"]) { T(t(unread == 0 ? "notifications.all_caught_up" : "notifications.lead")) }
            El("p", ["class": "muted"]) {
                El("a", ["href": "/settings/notifications"]) { T(t("notifications.settings_link")) }
                T(" · ")
                El("a", ["href": "/settings/break"]) { T(t("break.title")) }
            }
            if rows.isEmpty {
                El("p", ["id": "no-notifications", "class": "muted"]) { T(t("notifications.none")) }
            } else {
                El("div", ["id": "notifications"]) {
                    for (index, group) in Self.days(rows).enumerated() {
                        El("section", ["class": "notification-day", "aria-labelledby": "notification-day-\(index)"]) {
                            El("h2", ["id": "notification-day-\(index)", "class": "day-heading"]) { T(Self.dayName(group.day, now: c.now, t: t)) }
                            El("ul", ["class": "notification-list"]) {
                                for row in group.rows { item(row, c: c) }
                            }
                        }
                    }
                }
            }
        }
    }

    private func item(_ row: NotificationRow, c: PageContext) -> Component {
        let t = c.t
        // During a break nothing is marked new (the row stays unread, for later).
        let showsNew = row.readAt == nil && !c.onBreak
        return El("li", ["class": row.readAt == nil ? "notification unread" : "notification"]) {
            if let name = row.actorName, !name.isEmpty {
                Avatar(pseudonym: name, choice: row.actorAvatar)
            } else {
                El("span", ["class": "avatar avatar-small avatar-none", "aria-hidden": "true"]) { T("·") }
            }
            El("div", ["class": "notification-main"]) {
                El("a", ["class": "notification-text", "href": Paths.notificationOpen(id: row.id)]) {
                    if TeamBadge.shows(row.actorRole), let parts = row.sentenceAroundName(c.localizer, c.locale) {
                        T(parts.before + parts.name)
                        TeamBadge(role: row.actorRole, context: c)
                        T(parts.after)
                    } else {
                        T(row.sentence(c.localizer, c.locale))
                    }
                }
                El("p", ["class": "notification-meta muted"]) {
                    if showsNew {
                        El("span", ["class": "badge badge-unread"]) { T(t("notifications.new")) }
                        T(" ")
                    }
                    El("time", ["datetime": DateFormatting.iso(row.updatedAt), "title": DateFormatting.dayTime(row.updatedAt, locale: c.locale)]) {
                        T(DateFormatting.time(row.updatedAt, locale: c.locale))
                    }
                }
            }
            if row.readAt == nil {
                El("form", ["class": "inline-form mark-read", "method": "post", "action": Paths.notificationRead(id: row.id)]) {
                    CSRFField(token: c.csrfToken)
                    El(
                        "button",
                        [
                            "class": "button button-secondary button-small", "type": "submit",
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
