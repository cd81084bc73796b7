import Fluent
import Vapor

/// Puts mail in the durable outbox. Call it inside the transaction of the act that causes it.
enum Outbox {
    static func enqueue(_ mail: ComposedMail, to recipient: String, on db: any Database, now: Date) async throws {
        let row = OutboxMail(recipient: recipient, subject: mail.subject, textBody: mail.text, htmlBody: mail.html, now: now)
        row.unsubscribeURL = mail.unsubscribeURL
        try await row.create(on: db)
    }
}

/// A mail's content in one language.
struct ComposedMail: Sendable {
    let subject: String
    let text: String
    let html: String?
    /// Set on notification mail: the RFC 8058 one-click unsubscribe link.
    var unsubscribeURL: String? = nil
}
