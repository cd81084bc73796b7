import Fluent
import SQLKit
import Vapor

/// Sends daily and weekly digests. It walks the members who have something waiting, a batch at
/// a time (keyset on member id), so memory stays flat however many members there are. A digest
/// goes out at 08:00 in the member's time zone (later if quiet hours last longer), never during
/// a break, and never empty.
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
                SELECT DISTINCT member_id FROM notifications WHERE email_state IN ('daily', 'weekly') \(cursor)
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

    /// One batch: its members, their choices and their waiting notifications in three queries,
    /// then the digests and the bookkeeping in one transaction.
    private func runBatch(_ ids: [UUID], now: Date) async throws -> Int {
        let sql = database as! any SQLDatabase
        let members = Dictionary(try await Member.query(on: database).filter(\.$id ~~ ids).all().map { ($0.id!, $0) }) { a, _ in a }
        let prefs = try await NotificationPreferences.of(ids, on: database)
        let waiting = Dictionary(grouping: try await sql.raw("""
            \(unsafeRaw: NotificationRows.select)
            WHERE n.member_id IN (\(binds: ids)) AND n.email_state IN ('daily', 'weekly') ORDER BY n.updated_at
            """).all().map(NotificationRows.decode), by: \.memberID)
        return try await database.transaction { db in
            var sent = 0
            var done = [UUID]()
            for id in ids {
                guard let member = members[id], let pref = prefs[id], let rows = waiting[id], !rows.isEmpty else { continue }
                if member.isClosed || member.isOnBreak(at: now) { continue }
                let local = LocalTime(now, member.zone)
                if let quiet = pref.quietHours, quiet.contains(minute: local.minute) { continue }
                let pastHour = local.minute >= NotificationPreferences.digestMinute
                let dailyDue = pastHour && pref.lastDailyDigest != local.day
                let weeklyDue = pref.lastWeeklyDigest != local.monday && (local.weekday != 2 || pastHour)
                let due = rows.filter { ($0.emailState == .daily && dailyDue) || ($0.emailState == .weekly && weeklyDue) }
                guard !due.isEmpty else { continue }
                let weekly = !due.contains { $0.emailState == .daily }
                let mails = NotificationMails(localizer: localizer, locale: member.locale ?? defaultLocale, publicURL: publicURL)
                try await Outbox.enqueue(mails.digest(due, pseudonym: member.pseudonym, token: pref.unsubscribeToken, weekly: weekly),
                                         to: member.email, on: db, now: now)
                if due.contains(where: { $0.emailState == .daily }) { pref.lastDailyDigest = local.day }
                if due.contains(where: { $0.emailState == .weekly }) { pref.lastWeeklyDigest = local.monday }
                try await pref.save(on: db)
                done += due.map(\.id)
                sent += 1
            }
            for start in stride(from: 0, to: done.count, by: 500) {
                let slice = Array(done[start..<min(start + 500, done.count)])
                try await Notification.query(on: db).filter(\.$id ~~ slice).set(\.$emailState, to: .sent).update()
            }
            return sent
        }
    }
}
