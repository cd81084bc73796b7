import Fluent
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

/// What a member may choose for their picture: the colour that comes with their name ("auto",
/// stored as nil), another calm colour, or no picture at all ("none").
enum AvatarChoice {
    static let none = "none"
    static let auto = "auto"

    /// Every choice a form offers, in order.
    static var all: [String] { [auto] + AvatarRules.colours + [none] }

    /// The stored value for a choice from a form; nil when the choice is not one of ours.
    static func parse(_ raw: String?) -> String?? {
        switch raw ?? "" {
        case auto: return .some(nil)
        case none: return .some(none)
        case let colour where AvatarRules.colours.contains(colour): return .some(colour)
        default: return nil
        }
    }
}

/// A member chooses their avatar's colour, or none: one write, recorded nowhere else (it is
/// a matter of taste, not of safety).
struct ChooseAvatar {
    let context: ServiceContext

    enum Outcome: Sendable, Equatable {
        case saved
        case invalid
    }

    func run(choice raw: String?) async throws -> Outcome {
        guard case .some(let stored) = AvatarChoice.parse(raw) else { return .invalid }
        try await Member.query(on: context.db).filter(\.$id == context.actor.requireID()).set(\.$avatarColour, to: stored).update()
        context.actor.avatarColour = stored
        return .saved
    }
}
