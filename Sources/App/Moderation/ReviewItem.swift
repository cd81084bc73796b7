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

        var priority: Int {
            switch self {
            case .crisis: 0
            case .flag: 1
            case .trigger: 2
            case .privacy: 3
            case .welcome: 4
            case .messageReport: 1
            }
        }
    }

    enum Outcome: String, Codable, Sendable, CaseIterable {
        /// Looked at; nothing needed doing.
        case noAction = "no_action"
        /// Handled with an action (hidden, referred, a message …).
        case actionTaken = "action_taken"
        case welcomed
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

    init() {}

    /// The summary of a crisis item raised by a questionnaire's safety item: the queue says "a
    /// questionnaire answer" and names the member, never the answer.
    static let questionnaireSummary = "questionnaire"

    init(kind: Kind, postID: Int?, memberID: UUID?, summary: String, createdAt: Date) {
        self.kind = kind
        self.priority = kind.priority
        self.postID = postID
        self.memberID = memberID
        self.summary = summary
        self.createdAt = createdAt
    }
}
