import Fluent
import Vapor

/// Something that happened that concerns a member. Reactions on one post share one row
/// ("3 members thanked you"), so a warm thread never becomes a pile of notifications.
final class Notification: Model, @unchecked Sendable {
    static let schema = "notifications"

    enum Kind: String, Codable, Sendable, CaseIterable {
        /// A reply in a topic the member started.
        case reply
        /// A reply that quotes the member.
        case quote
        /// An @mention of the member's pseudonym.
        case mention
        /// Reactions on the member's post (grouped per post).
        case reaction
        /// A moderator's message, or an action on the member's content.
        case moderator
        /// The moderators' welcome of the member's first post.
        case welcome
        /// A new post in a topic or theme the member watches, or a new entry in a blog they follow.
        case watching
        /// A news item or publication from the team.
        case news
        /// A new private message (never its text, in a mail).
        case message
        /// A research questionnaire is open (or a reminder of it). Never mailed by the
        /// notification mailer: the research job mails it on the terms of the member's consent.
        case research

        /// The email setting that governs this kind.
        var channel: NotificationPreferences.Channel {
            switch self {
            case .reply, .quote: .replies
            case .mention: .mentions
            case .reaction: .reactions
            case .moderator, .welcome: .moderator
            case .watching: .watching
            case .news: .news
            case .message: .messages
            // Only for the kind's place in settings; its email follows the research consent.
            case .research: .news
            }
        }

        /// What concerns the member directly comes first in lists and digests.
        var weight: Int {
            switch self {
            case .moderator, .welcome: 0
            case .mention, .quote: 1
            case .reply: 2
            case .reaction: 3
            case .message: 1
            case .research: 2
            case .watching: 4
            case .news: 5
            }
        }

        /// Whether this speaks to the member personally (a digest with none of these says
        /// "nothing here needs you now").
        var concernsMember: Bool { self != .watching && self != .reaction && self != .news }
    }

    /// Where the notification stands on the way to an email.
    enum EmailState: String, Codable, Sendable {
        /// No email for this one (the member chose "never", or was on a break).
        case none
        /// To be sent on its own once `email_due_at` has passed (after quiet hours).
        case immediate
        /// Waiting for the daily or weekly digest.
        case daily, weekly
        /// Emailed, alone or in a digest.
        case sent
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "kind") var kind: Kind
    @OptionalField(key: "topic_id") var topicID: Int?
    @OptionalField(key: "post_id") var postID: Int?
    /// A private conversation (new messages), never with the text.
    @OptionalField(key: "conversation_id") var conversationID: Int?
    @OptionalField(key: "actor_id") var actorID: UUID?
    /// Rows with the same key (reactions on one post) are counted together while unread.
    @OptionalField(key: "group_key") var groupKey: String?
    @Field(key: "count") var count: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "read_at") var readAt: Date?
    @Field(key: "email_state") var emailState: EmailState
    @OptionalField(key: "email_due_at") var emailDueAt: Date?

    init() {}

    init(memberID: UUID, kind: Kind, topicID: Int?, postID: Int?, actorID: UUID?, now: Date) {
        self.memberID = memberID
        self.kind = kind
        self.topicID = topicID
        self.postID = postID
        self.actorID = actorID
        self.count = 1
        self.createdAt = now
        self.updatedAt = now
        self.emailState = .none
    }
}
