import Fluent
import SQLKit
import Vapor

/// Sends the notifications a member wants at once, when their quiet hours allow, within their
/// daily budget; what exceeds the budget is folded into the next daily digest.
struct NotificationMailer: Sendable {
    let database: any Database
    let clock: any AppClock
    let localizer: Localizer
    let publicURL: String
    let defaultLocale: AppLocale

    /// Handles up to `limit` due notifications; returns how many emails it queued.
    @discardableResult
    func runOnce(limit: Int = 200) async throws -> Int {
        let now = clock.now()
        let sql = database as! any SQLDatabase
        let rows = try await sql.raw(
            """
            \(unsafeRaw: NotificationRows.select)
            WHERE n.email_state = 'immediate' AND n.email_due_at <= \(bind: now) ORDER BY n.email_due_at LIMIT \(bind: limit)
            """
        ).all().map(NotificationRows.decode)
        guard !rows.isEmpty else { return 0 }
        let memberIDs = Array(Set(rows.map(\.memberID)))
        let members = Dictionary(try await Member.query(on: database).filter(\.$id ~~ memberIDs).all().map { ($0.id!, $0) }) { a, _ in a }
        let prefs = try await NotificationPreferences.of(memberIDs, on: database)
        return try await database.transaction { db in
            var queued = 0
            for row in rows {
                guard let member = members[row.memberID], let pref = prefs[row.memberID] else { continue }
                let update = Notification.query(on: db).filter(\.$id == row.id)
                if member.isClosed || member.isOnBreak(at: now) {
                    try await update.set(\.$emailState, to: .none).update()
                    continue
                }
                // Quiet hours may have been switched on since: wait for their end.
                if let quiet = pref.quietHours, case let next = quiet.nextAllowed(after: now, in: member.zone), next > now {
                    try await update.set(\.$emailDueAt, to: next).update()
                    continue
                }
                let today = LocalTime(now, member.zone).day
                if pref.budgetDay != today {
                    pref.budgetDay = today
                    pref.budgetUsed = 0
                }
                guard pref.budgetUsed < pref.dailyBudget else {
                    // Over today's budget: it waits for the next daily digest instead.
                    let digest = DigestSchedule.next(after: now, zone: member.zone, quiet: pref.quietHours, weekly: false)
                    try await update.set(\.$emailState, to: .daily).set(\.$emailDueAt, to: digest).update()
                    continue
                }
                // Claim it: if another server got there first, it is theirs to send.
                guard
                    try await (db as! any SQLDatabase).raw(
                        """
                        UPDATE notifications SET email_state = 'sent' WHERE id = \(bind: row.id) AND email_state = 'immediate' RETURNING id
                        """
                    ).first() != nil
                else { continue }
                if !pref.$id.exists {
                    try await NotificationPreferences.insertDefaults([pref], on: db)
                    pref.unsubscribeToken =
                        try await NotificationPreferences.tokens(of: [row.memberID], on: db)[row.memberID] ?? pref.unsubscribeToken
                }
                let mails = NotificationMails(localizer: localizer, locale: member.locale ?? defaultLocale, publicURL: publicURL)
                try await Outbox.enqueue(
                    mails.single(row, pseudonym: member.pseudonym, token: pref.unsubscribeToken),
                    to: member.email, on: db, now: now)
                pref.budgetUsed += 1
                queued += 1
            }
            for pref in prefs.values where pref.$id.exists && pref.hasChanges { try await pref.save(on: db) }
            return queued
        }
    }
}
