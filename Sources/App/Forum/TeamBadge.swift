import Plot

/// The small label beside the name of a moderator or administrator wherever members read it.
/// Members recognise the team by the badge, which no pseudonym can imitate, not by a name.
struct TeamBadge: Component {
    let role: Role
    let context: PageContext
    /// An id for the badge, where a label points at it (a post's article).
    var id: String? = nil

    /// Whether a role carries the badge: the team that members meet, not researchers.
    static func shows(_ role: Role) -> Bool { labelKey(for: role) != nil }

    /// The badge's text (a localisation key), or nil for roles without one.
    static func labelKey(for role: Role) -> String? {
        switch role {
        case .moderator: return "team.badge.moderator"
        case .admin: return "team.badge.admin"
        case .editor: return "team.badge.editor"
        case .member, .researcher: return nil
        }
    }

    var body: Component {
        let t = context.t
        return ComponentGroup {
            if let key = Self.labelKey(for: role) {
                T(" ")
                El("span", ["class": "team-badge", "id": id]) {
                    T(t(key))
                    El("span", ["class": "visually-hidden"]) { T(t("team.badge_hint")) }
                }
            }
        }
    }
}

extension Member {
    /// The role to show beside a name in SQL: someone who left carries no badge (their name
    /// shows as "former member", see `shownName`).
    static func shownRole(_ alias: String) -> String {
        "CASE WHEN \(alias).closed_at IS NULL THEN \(alias).role ELSE 'member' END"
    }
}
