import Foundation
import Plot
import Vapor

/// Members and their roles, for administrators. Shows pseudonyms only: contact details are
/// for moderators, and every look at them is logged.
struct AdminMembersPage {
    static let pageSize = 100
    let members: [Member]
    let search: String
    let me: Member

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("admin.title")) {
            El("h1") { T(t("admin.title")) }
            El("form", ["id": "member-search", "class": "stack-form", "method": "get", "action": "/admin", "role": "search"]) {
                TextFieldRow(id: "q", type: "search", label: t("admin.search_label"), value: search, required: false, maxLength: 30)
                SubmitRow(id: "search-submit", label: t("admin.search"))
            }
            // Three columns that fit a phone: who (with the day they joined), their status, their role.
            El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-labelledby": "members-caption"]) {
                El("table", ["class": "data-table members-table", "id": "members-table"]) {
                    El("caption", ["id": "members-caption"]) { T(t("admin.members_caption", count: members.count)) }
                    El("thead") {
                        El("tr") {
                            El("th", ["scope": "col"]) { T(t("admin.member")) }
                            El("th", ["scope": "col"]) { T(t("admin.status")) }
                            El("th", ["scope": "col"]) { T(t("admin.role")) }
                        }
                    }
                    El("tbody") {
                        for member in members { row(member, c: c) }
                    }
                }
            }
        }
    }

    private func row(_ member: Member, c: PageContext) -> Component {
        let t = c.t
        let id = member.id?.uuidString ?? ""
        return El("tr") {
            El("th", ["scope": "row"]) {
                El("span", ["class": "member-cell"]) {
                    Avatar(pseudonym: member.pseudonym, choice: member.avatarColour)
                    El("span") {
                        T(member.pseudonym)
                        El("span", ["class": "small muted member-joined"]) {
                            T(t("admin.joined_on", ["date": DateFormatting.day(member.createdAt, locale: c.locale)]))
                        }
                    }
                }
            }
            El("td") {
                for status in Self.statuses(of: member, now: c.now) {
                    El("span", ["class": "badge status-\(status.kind)"]) {
                        T(t("admin.status.\(status.kind)", ["date": status.until.map { DateFormatting.day($0, locale: c.locale) } ?? ""]))
                    }
                    T(" ")
                }
            }
            El("td") {
                El("form", ["class": "role-form", "method": "post", "action": Paths.adminMemberRole(member)]) {
                    CSRFField(token: c.csrfToken)
                    El("label", ["for": "role-\(id)", "class": "visually-hidden"]) {
                        T(t("admin.role_for", ["name": member.pseudonym]))
                    }
                    El("select", ["id": "role-\(id)", "name": "role"]) {
                        for role in Role.allCases {
                            El("option", ["value": role.rawValue, "selected": member.role == role ? "" : nil]) {
                                T(t("role.\(role.rawValue)"))
                            }
                        }
                    }
                    El("button", ["class": "button button-secondary button-small", "type": "submit"]) { T(t("admin.change_role")) }
                }
            }
        }
    }

    /// What an administrator needs to know of an account at a glance: left, suspended,
    /// silenced, not verified yet, or active.
    static func statuses(of member: Member, now: Date) -> [(kind: String, until: Date?)] {
        if member.isClosed { return [("left", nil)] }
        var statuses = [(kind: String, until: Date?)]()
        if member.isSuspended(at: now) {
            let until = member.suspendedUntil
            statuses.append((until.map { $0.timeIntervalSince(now) > 50 * 365 * 86_400 } ?? true ? "suspended" : "suspended_until", until))
        }
        if member.isSilenced(at: now) { statuses.append(("silenced_until", member.silencedUntil)) }
        if !member.isVerified { statuses.append(("unverified", nil)) }
        return statuses.isEmpty ? [("active", nil)] : statuses
    }
}
