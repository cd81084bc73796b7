import Fluent
import Vapor

/// A word, wildcard or phrase that points to a crisis, a privacy leak or abuse, with what to do
/// when it appears in something a member writes.
final class TriggerRule: Model, @unchecked Sendable {
    static let schema = "trigger_rules"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case crisis
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
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var actionSet: Set<Action> { Set(actions.split(separator: " ").compactMap { Action(rawValue: String($0)) }) }
}
