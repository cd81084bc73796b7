import Fluent
import Vapor

/// A mail waiting to be delivered (or delivered). Written in the same transaction as the act
/// that causes it, so nothing is lost if the mail server is down or the process restarts.
public final class OutboxMail: Model, @unchecked Sendable {
    public static let schema = "outbox_mails"

    @ID(key: .id) public var id: UUID?
    @Field(key: "recipient") public var recipient: String
    @Field(key: "subject") public var subject: String
    @Field(key: "text_body") public var textBody: String
    @OptionalField(key: "html_body") public var htmlBody: String?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "next_attempt_at") public var nextAttemptAt: Date
    @OptionalField(key: "claimed_until") public var claimedUntil: Date?
    @OptionalField(key: "sent_at") public var sentAt: Date?
    /// Set when the mail server refused the mail for good; it is not tried again.
    @OptionalField(key: "failed_at") public var failedAt: Date?
    @OptionalField(key: "last_error") public var lastError: String?
    /// For notification mail: the one-click unsubscribe link sent as List-Unsubscribe.
    @OptionalField(key: "unsubscribe_url") public var unsubscribeURL: String?

    public init() {}

    public init(recipient: String, subject: String, textBody: String, htmlBody: String?, now: Date) {
        self.recipient = recipient
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.createdAt = now
        self.attempts = 0
        self.nextAttemptAt = now
    }
}
