import Fluent
import TextRules
import Vapor

/// A word, wildcard or phrase that points to a crisis, a privacy leak or abuse, with what to do
/// when it appears in something a member writes.
final class TriggerRule: Model, @unchecked Sendable {
    static let schema = "trigger_rules"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case crisis
        /// Worth a moderator's look at the next screening, without an alarm (self-harm in the
        /// past, worry about medication or about someone else).
        case concern
        case privacy
        case abuse
    }

    enum Action: String, Codable, Sendable, CaseIterable {
        /// Email the moderators' mailbox and those on shift at once; an alert waits in the app.
        case alert
        /// Keep the post from members until a moderator releases it.
        case hold
        /// Show the author the crisis help at once.
        case help
        /// Put the post in the review queue.
        case flag
        /// Refuse the post, with an explanation (the text stays in the form).
        case block
    }

    static let languages = ["nl", "en", "any"]

    @ID(key: .id) var id: UUID?
    @Field(key: "pattern") var pattern: String
    @Field(key: "language") var language: String
    @Field(key: "kind") var kind: Kind
    /// Space-separated actions.
    @Field(key: "actions") var actions: String
    @Field(key: "note") var note: String
    /// Patterns that cancel a match they govern, one per line (`TriggerRuleSet.Exception`).
    @Field(key: "exceptions") var exceptions: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var actionSet: Set<Action> { Set(actions.split(separator: " ").compactMap { Action(rawValue: String($0)) }) }

    var exceptionList: [String] { Self.exceptionList(exceptions) }

    /// A rule's words and settings from a lexicon file's line (the import, and the repository's rules).
    func take(_ entry: DefaultLexicon.Entry) {
        pattern = entry.pattern
        language = entry.language
        kind = Kind(rawValue: entry.kind) ?? .crisis
        actions = entry.actions.joined(separator: " ")
        note = entry.note
        exceptions = entry.exceptions.joined(separator: "\n")
        active = entry.active
    }

    /// A copy to try a change on without touching the saved rule (the rules page's preview).
    static func copy(_ rule: TriggerRule) -> TriggerRule {
        let copy = TriggerRule()
        copy.id = rule.id
        copy.pattern = rule.pattern
        copy.language = rule.language
        copy.kind = rule.kind
        copy.actions = rule.actions
        copy.note = rule.note
        copy.exceptions = rule.exceptions
        copy.active = rule.active
        copy.createdAt = rule.createdAt
        copy.updatedAt = rule.updatedAt
        return copy
    }

    /// Exceptions as typed (one per line) or as in a CSV (separated by ";").
    static func exceptionList(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == ";" || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
