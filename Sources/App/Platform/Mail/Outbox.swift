import Fluent
import SQLKit
import Vapor

/// Puts mail in the durable outbox. Call it inside the transaction of the act that causes it.
enum Outbox {
    static func enqueue(_ mail: ComposedMail, to recipient: String, on db: any Database, now: Date) async throws {
        let row = OutboxMail(recipient: recipient, subject: mail.subject, textBody: mail.text, htmlBody: mail.html, now: now)
        row.unsubscribeURL = mail.unsubscribeURL
        try await row.create(on: db)
    }
}

extension Outbox {
    /// Many mails in a few multi-row inserts (the digest job writes thousands at a time).
    static func enqueue(_ mails: [(mail: ComposedMail, to: String)], on db: any Database, now: Date) async throws {
        let sql = db as! any SQLDatabase
        for start in stride(from: 0, to: mails.count, by: 200) {
            let insert = sql.insert(into: OutboxMail.schema)
                .columns("id", "recipient", "subject", "text_body", "html_body", "created_at", "attempts", "next_attempt_at", "unsubscribe_url")
            for item in mails[start..<min(start + 200, mails.count)] {
                insert.values(
                    SQLBind(UUID()), SQLBind(item.to), SQLBind(item.mail.subject), SQLBind(item.mail.text), SQLBind(item.mail.html),
                    SQLBind(now), SQLBind(0), SQLBind(now), SQLBind(item.mail.unsubscribeURL))
            }
            try await insert.run()
        }
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
