import Fluent
import SMTPMail
import SQLKit
import Vapor

/// Sends what is due in the outbox, retrying with back-off.
/// Several processes may run it at once: each claims rows before sending.
struct MailDelivery: Sendable {
    let database: any Database
    let transport: any MailTransport
    let clock: any AppClock
    let from: (name: String, address: String)
    let logger: Logger

    /// Give up after this many attempts (about three days with the back-off below).
    static let maxAttempts = 16

    /// Seconds to wait before the next attempt: 30 s doubling, at most 6 hours.
    static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(30 * pow(2, Double(max(0, attempt - 1))), 6 * 3600)
    }

    /// Delivers up to `limit` due mails; returns how many were sent.
    @discardableResult
    func runOnce(limit: Int = 20) async throws -> Int {
        try await dropMailToFormerMembers()
        let ids = try await claimDue(limit: limit)
        var sent = 0
        for id in ids {
            guard let mail = try await OutboxMail.find(id, on: database), mail.sentAt == nil else { continue }
            let now = clock.now()
            mail.attempts += 1
            do {
                let messageID = "<\(id.uuidString.lowercased())@\(from.address.split(separator: "@").last ?? "localhost")>"
                try await transport.deliver(
                    OutgoingMail(
                        to: mail.recipient, subject: mail.subject, textBody: mail.textBody, htmlBody: mail.htmlBody,
                        messageID: messageID, unsubscribeURL: mail.unsubscribeURL),
                    from: from, date: now)
                mail.sentAt = clock.now()
                mail.lastError = nil
                sent += 1
            } catch {
                let transient = (error as? SMTPError)?.isTransient ?? true
                mail.lastError = String(describing: error).prefix(500).description
                if !transient || mail.attempts >= Self.maxAttempts {
                    mail.failedAt = now
                    logger.error("Mail \(id) failed for good after \(mail.attempts) attempts: \(mail.lastError ?? "")")
                } else {
                    mail.nextAttemptAt = now.addingTimeInterval(Self.backoff(afterAttempt: mail.attempts))
                    logger.warning("Mail \(id) attempt \(mail.attempts) failed; retrying later: \(mail.lastError ?? "")")
                }
            }
            mail.claimedUntil = nil
            try await mail.save(on: database)
        }
        if sent > 0 { try await retryDeferredNow() }
        return sent
    }

    /// The mail server answers again: what waits for a later attempt because it did not goes
    /// now, instead of sleeping out a back-off of minutes (crisis alerts among it).
    private func retryDeferredNow() async throws {
        let now = clock.now()
        try await (database as! any SQLDatabase).raw(
            """
            UPDATE outbox_mails SET next_attempt_at = \(bind: now)
            WHERE sent_at IS NULL AND failed_at IS NULL AND attempts > 0 AND next_attempt_at > \(bind: now)
            """
        ).run()
    }

    /// Someone who left gets no mail, not even what was queued before they left.
    private func dropMailToFormerMembers() async throws {
        try await (database as! any SQLDatabase).raw(
            """
            UPDATE outbox_mails SET failed_at = \(bind: clock.now()), last_error = 'recipient left the community'
            WHERE sent_at IS NULL AND failed_at IS NULL
              AND recipient IN (SELECT email FROM members WHERE closed_at IS NOT NULL)
            """
        ).run()
    }

    /// Marks due rows as claimed for two minutes and returns their ids.
    private func claimDue(limit: Int) async throws -> [UUID] {
        let sql = database as! any SQLDatabase
        let now = clock.now()
        let lock = DatabaseDialect(database).skipLockedClause
        let rows = try await sql.raw(
            """
            UPDATE outbox_mails SET claimed_until = \(bind: now.addingTimeInterval(120))
            WHERE id IN (
                SELECT id FROM outbox_mails
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= \(bind: now)
                  AND (claimed_until IS NULL OR claimed_until < \(bind: now))
                ORDER BY next_attempt_at LIMIT \(bind: limit)\(unsafeRaw: lock)
            )
            RETURNING id
            """
        ).all()
        return try rows.map { try $0.decode(column: "id", as: UUID.self) }
    }
}
