import Fluent
import SQLKit
import Vapor

/// Sends daily and weekly digests. Each waiting notification knows when its digest is due
/// (08:00 in the member's time zone, see `DigestSchedule`). The job walks the members with
/// due notifications a batch at a time (keyset on member id), so memory stays flat however
/// many members there are. Never during a break or quiet hours, and never empty.
struct DigestJob: Sendable {
    let database: any Database
    let clock: any AppClock
    let localizer: Localizer
    let publicURL: String
    let defaultLocale: AppLocale
    var batchSize = 500

    struct Figures: Sendable {
        var membersSeen = 0
        var digestsSent = 0
        var batches = 0
    }

    @discardableResult
    func run() async throws -> Figures {
        let sql = database as! any SQLDatabase
        let now = clock.now()
        var figures = Figures()
        var after: UUID? = nil
        while true {
            let cursor = after.map { SQLQueryString("AND member_id > \(bind: $0)") } ?? SQLQueryString("")
            let ids = try await sql.raw("""
                SELECT DISTINCT member_id FROM notifications
                WHERE email_state IN ('daily', 'weekly') AND email_due_at <= \(bind: now) \(cursor)
                ORDER BY member_id LIMIT \(bind: batchSize)
                """).all().map { try $0.decode(column: "member_id", as: UUID.self) }
            guard let last = ids.last else { break }
            after = last
            figures.batches += 1
            figures.membersSeen += ids.count
            figures.digestsSent += try await runBatch(ids, now: now)
        }
        return figures
    }

    /// One batch: its members, their choices and their due notifications in three queries,
    /// then the digests and the bookkeeping in one transaction.
    private func runBatch(_ ids: [UUID], now: Date) async throws -> Int {
        let sql = database as! any SQLDatabase
        let members = Dictionary(try await sql.raw("""
            SELECT \(unsafeRaw: Member.columns("m")) FROM members m WHERE m.id IN (\(binds: ids))
            """).all().map { row -> (UUID, Member) in let m = try Member.from(row: row, alias: "m"); return (m.id!, m) }) { a, _ in a }
        let prefs = try await NotificationPreferences.of(ids, on: database)
        let due = Dictionary(grouping: try await sql.raw("""
            \(unsafeRaw: NotificationRows.select)
            WHERE n.member_id IN (\(binds: ids)) AND n.email_state IN ('daily', 'weekly') AND n.email_due_at <= \(bind: now)
            ORDER BY n.updated_at
            """).all().map(NotificationRows.decode), by: \.memberID)
        return try await database.transaction { db in
            var mails: [(mail: ComposedMail, to: String)] = []
            var newPrefs: [NotificationPreferences] = []
            var done = [UUID]()
            var dropped = [UUID]()
            for id in ids {
                guard let member = members[id], let pref = prefs[id], let rows = due[id], !rows.isEmpty else { continue }
                // Someone who left, or on a break, gets nothing; what was waiting is let go.
                if member.isClosed || member.isOnBreak(at: now) { dropped += rows.map(\.id); continue }
                if let quiet = pref.quietHours, quiet.contains(minute: LocalTime(now, member.zone).minute) { continue }
                let weekly = !rows.contains { $0.emailState == .daily }
                let composer = NotificationMails(localizer: localizer, locale: member.locale ?? defaultLocale, publicURL: publicURL)
                mails.append((composer.digest(rows, pseudonym: member.pseudonym, token: pref.unsubscribeToken, weekly: weekly), member.email))
                // The unsubscribe link needs the member's secret stored.
                if !pref.$id.exists { newPrefs.append(pref) }
                done += rows.map(\.id)
            }
            try await NotificationPreferences.insertDefaults(newPrefs, on: db)
            try await Outbox.enqueue(mails, on: db, now: now)
            for (ids, state) in [(done, Notification.EmailState.sent), (dropped, .none)] {
                for start in stride(from: 0, to: ids.count, by: 500) {
                    let slice = Array(ids[start..<min(start + 500, ids.count)])
                    try await Notification.query(on: db).filter(\.$id ~~ slice).set(\.$emailState, to: state).update()
                }
            }
            return mails.count
        }
    }
}
