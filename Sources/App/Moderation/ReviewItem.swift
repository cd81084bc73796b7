import Fluent
import Vapor

/// An entry in the moderators' one queue, most urgent first.
final class ReviewItem: Model, @unchecked Sendable {
    static let schema = "review_items"

    /// The kinds of item. How urgent one is depends on its kind and, for reports, their reason
    /// (see `priority(of:reason:)`).
    enum Kind: String, Codable, Sendable, CaseIterable {
        case crisis
        case flag
        case trigger
        case privacy
        case welcome
        /// A private message a participant reported (only it and the ten before it are shown).
        case messageReport = "message_report"

        /// The priority of an item of this kind with no reason given (a report without one
        /// counts as a rule report).
        var priority: Int { ReviewItem.priority(of: self, reason: nil) }

        /// The outcomes that fit an item of this kind: a crisis is met with help or needs
        /// none, a first post is welcomed, a report or a rule hit is acted on or needs nothing.
        var outcomes: [Outcome] {
            switch self {
            case .crisis: [.helpOffered, .noAction]
            case .welcome: [.welcomed, .noAction]
            case .flag, .trigger, .privacy, .messageReport: [.actionTaken, .noAction]
            }
        }
    }

    /// Severity, most urgent first, then age: the queue's order (`priority` is stored and
    /// indexed, so the queue is one indexed query). A report's reason counts: "I am worried
    /// about this person" comes right after a crisis, a privacy report with the privacy hits.
    enum Severity: Int, Sendable, CaseIterable {
        case crisis = 0
        case worried = 1
        case privacy = 2
        case rules = 3
        case welcome = 4
    }

    static func priority(of kind: Kind, reason: Flag.Reason?) -> Int {
        let severity: Severity
        switch (kind, reason) {
        case (.crisis, _): severity = .crisis
        case (.flag, .worried?), (.messageReport, .worried?): severity = .worried
        case (.privacy, _), (.flag, .privacy?), (.messageReport, .privacy?): severity = .privacy
        case (.welcome, _): severity = .welcome
        default: severity = .rules
        }
        return severity.rawValue
    }

    enum Outcome: String, Codable, Sendable, CaseIterable {
        /// Looked at; nothing needed doing.
        case noAction = "no_action"
        /// Handled with an action (hidden, referred, a message …).
        case actionTaken = "action_taken"
        case welcomed
        /// A crisis met: the member was contacted or offered help.
        case helpOffered = "help_offered"
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
    /// The crisis alert raised with this item (kind `.crisis` from a trigger): acknowledging
    /// one resolves the other.
    @OptionalField(key: "alert_id") var alertID: UUID?

    init() {}

    /// The summary of a crisis item raised by a questionnaire's safety item: the queue says "a
    /// questionnaire answer" and names the member, never the answer.
    static let questionnaireSummary = "questionnaire"

    init(kind: Kind, postID: Int?, memberID: UUID?, summary: String, createdAt: Date, reason: Flag.Reason? = nil) {
        self.kind = kind
        self.priority = Self.priority(of: kind, reason: reason)
        self.postID = postID
        self.memberID = memberID
        self.summary = summary
        self.createdAt = createdAt
    }
}
