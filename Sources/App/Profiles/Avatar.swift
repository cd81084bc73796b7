import Plot
import TextRules

/// A member's picture beside their name: initials on a calm colour, derived from the
/// pseudonym (`AvatarRules`) unless the member chose another colour or none. Decorative: the
/// name is always written beside it, so screen readers skip it.
struct Avatar: Component {
    let pseudonym: String
    /// The member's choice (`members.avatar_colour`): nil follows the name, "none" hides it.
    let choice: String?
    var size = Size.small

    enum Size: String {
        case small, large
    }

    /// The colour class to use, or nil for no picture (a former member has no name to draw).
    static func colour(pseudonym: String, choice: String?) -> String? {
        guard !pseudonym.isEmpty, choice != AvatarChoice.none else { return nil }
        if let choice, AvatarRules.colours.contains(choice) { return choice }
        return AvatarRules.colour(for: pseudonym)
    }

    var body: Component {
        ComponentGroup {
            if let colour = Self.colour(pseudonym: pseudonym, choice: choice) {
                El("span", ["class": "avatar avatar-\(size.rawValue) avatar-\(colour)", "aria-hidden": "true"]) {
                    T(AvatarRules.initials(of: pseudonym))
                }
            }
        }
    }
}

/// What a member may choose for their picture.
enum AvatarChoice {
    static let none = "none"

    /// Accepts "" (follow the name), "none", or one of the colours.
    static func parse(_ raw: String?) -> String?? {
        let value = raw ?? ""
        if value.isEmpty { return .some(nil) }
        if value == none || AvatarRules.colours.contains(value) { return .some(value) }
        return nil
    }
}
