import Fluent
import Vapor

/// An entry in the moderators' one queue, most urgent first.
final class ReviewItem: Model, @unchecked Sendable {
    static let schema = "review_items"

    /// The kinds, with their priority: lower numbers come first.
    enum Kind: String, Codable, Sendable, CaseIterable {
        case crisis
        case flag
        case trigger
        case privacy
        case welcome
        /// A private message a participant reported (only it and the ten before it are shown).
        case messageReport = "message_report"

        /// Severity first: crisis; concerning words (like a report "I am worried about this
        /// person", see `priority(forReport:)`); privacy; reports of broken rules; welcomes.
        var priority: Int {
            switch self {
            case .crisis: 0
            case .trigger: 1
            case .privacy: 2
            case .flag, .messageReport: 3
            case .welcome: 4
            }
        }

        /// The outcomes a moderator may choose for an item of this kind: no "welcomed" on a
        /// crisis, no "help offered" on a welcome.
        var outcomes: [Outcome] {
            switch self {
            case .crisis: [.helpOffered, .noAction]
            case .flag, .trigger, .privacy, .messageReport: [.actionTaken, .noAction]
            case .welcome: [.welcomed, .noAction]
            }
        }
    }

    /// A report's place in the queue: "I am worried about this person" comes right after a
    /// crisis, a privacy report with privacy, every other report with the rule reports.
    static func priority(forReport reason: Flag.Reason) -> Int {
        switch reason {
        case .worried: Kind.trigger.priority
        case .privacy: Kind.privacy.priority
        case .disrespectful, .misinformation, .other: Kind.flag.priority
        }
    }

    enum Outcome: String, Codable, Sendable, CaseIterable {
        /// Looked at; nothing needed doing.
        case noAction = "no_action"
        /// Handled with an action (hidden, referred, a message …).
        case actionTaken = "action_taken"
        case welcomed
        /// A crisis: help offered, the member contacted.
        case helpOffered = "help_offered"
        /// A crisis item settled by acknowledging its alert (the alert holds the note).
        case alertAcknowledged = "alert_acknowledged"
        /// A report settled because a moderator hid or removed the post.
        case postTakenDown = "post_taken_down"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: Kind
    @Field(key: "priority") var priority: Int
    @OptionalField(key: "post_id") var postID: Int?
    @OptionalField(key: "member_id") var memberID: UUID?
    @Field(key: "summary") var summary: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "claimed_by") var claimedBy: UUID?
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    @OptionalField(key: "resolved_by") var resolvedBy: UUID?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?
    @OptionalField(key: "outcome") var outcome: Outcome?
    @OptionalField(key: "outcome_reason") var outcomeReason: String?
    /// A reported private message (kind `.messageReport`).
    @OptionalField(key: "message_id") var messageID: Int?
    /// The crisis alert raised with this item (kind `.crisis`): settling one settles the other.
    @OptionalField(key: "alert_id") var alertID: UUID?

    init() {}

    /// The summary of a crisis item raised by a questionnaire's safety item: the queue says "a
    /// questionnaire answer" and names the member, never the answer.
    static let questionnaireSummary = "questionnaire"

    init(kind: Kind, postID: Int?, memberID: UUID?, summary: String, createdAt: Date, alertID: UUID? = nil) {
        self.kind = kind
        self.priority = kind.priority
        self.alertID = alertID
        self.postID = postID
        self.memberID = memberID
        self.summary = summary
        self.createdAt = createdAt
    }
}
