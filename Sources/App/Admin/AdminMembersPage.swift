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
            El("table", ["class": "data-table", "id": "members-table"]) {
                El("caption") { T(t("admin.members_caption", count: members.count)) }
                El("thead") {
                    El("tr") {
                        El("th", ["scope": "col"]) { T(t("field.pseudonym")) }
                        El("th", ["scope": "col"]) { T(t("admin.joined")) }
                        El("th", ["scope": "col"]) { T(t("admin.verified")) }
                        El("th", ["scope": "col"]) { T(t("admin.role")) }
                    }
                }
                El("tbody") {
                    for member in members {
                        let id = member.id?.uuidString ?? ""
                        El("tr") {
                            El("td") { T(member.pseudonym) }
                            El("td") { T(DateFormatting.day(member.createdAt, locale: c.locale)) }
                            El("td") { T(member.isVerified ? t("common.yes") : t("common.no")) }
                            El("td") {
                                El("form", ["class": "inline-form", "method": "post", "action": Paths.adminMemberRole(member)]) {
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
                                    El("button", ["class": "button button-secondary", "type": "submit"]) { T(t("admin.change_role")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
