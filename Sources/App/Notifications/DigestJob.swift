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
            // One state at a time, so each query reads the (state, member) index in order and
            // stops after a batch; the smallest ids of the two together make the batch.
            var found = Set<UUID>()
            for state in ["daily", "weekly"] {
                let cursor = after.map { SQLQueryString("AND member_id > \(bind: $0)") } ?? SQLQueryString("")
                for row in try await sql.raw(
                    """
                    SELECT DISTINCT member_id FROM notifications
                    WHERE email_state = \(bind: state) \(cursor) AND email_due_at <= \(bind: now)
                    ORDER BY member_id LIMIT \(bind: batchSize)
                    """
                ).all() {
                    found.insert(try row.decode(column: "member_id", as: UUID.self))
                }
            }
            let ids = Array(found.sorted(by: Self.ascending).prefix(batchSize))
            guard let last = ids.last else { break }
            after = last
            figures.batches += 1
            figures.membersSeen += ids.count
            figures.digestsSent += try await runBatch(ids, now: now)
        }
        return figures
    }

    /// The databases' order of ids: byte order of the 16 bytes (SQLite blobs, PostgreSQL uuid).
    static func ascending(_ a: UUID, _ b: UUID) -> Bool {
        withUnsafeBytes(of: a.uuid) { x in withUnsafeBytes(of: b.uuid) { y in x.lexicographicallyPrecedes(y) } }
    }

    /// One batch: its members, their choices and their due notifications in three queries,
    /// then the digests and the bookkeeping in one transaction.
    private func runBatch(_ ids: [UUID], now: Date) async throws -> Int {
        let sql = database as! any SQLDatabase
        let members = Dictionary(
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Member.columns("m")) FROM members m WHERE m.id IN (\(binds: ids))
                """
            ).all().map { row -> (UUID, Member) in
                let m = try Member.from(row: row, alias: "m")
                return (m.id!, m)
            }
        ) { a, _ in a }
        let prefs = try await NotificationPreferences.of(ids, on: database)
        let due = Dictionary(
            grouping: try await sql.raw(
                """
                \(unsafeRaw: NotificationRows.select)
                WHERE n.member_id IN (\(binds: ids)) AND n.email_state IN ('daily', 'weekly') AND n.email_due_at <= \(bind: now)
                ORDER BY n.updated_at
                """
            ).all().map(NotificationRows.decode), by: \.memberID)
        return try await database.transaction { db in
            // Claim the due rows first: if another server runs the job at the same moment, each
            // notification is taken (and mailed) by one of them only.
            // Members in quiet hours wait for the next run; the others' due rows are claimed
            // along the (state, member) index in one statement per state.
            let ready = ids.filter { id in
                guard let member = members[id], let pref = prefs[id] else { return false }
                guard let quiet = pref.quietHours, !member.isClosed, !member.isOnBreak(at: now) else { return true }
                return !quiet.contains(minute: LocalTime(now, member.zone).minute)
            }
            var claimed = Set<UUID>()
            if !ready.isEmpty {
                for state in ["daily", "weekly"] {
                    for row in try await (db as! any SQLDatabase).raw(
                        """
                        UPDATE notifications SET email_state = 'sent'
                        WHERE email_state = \(bind: state) AND member_id IN (\(binds: ready)) AND email_due_at <= \(bind: now)
                        RETURNING id
                        """
                    ).all() {
                        claimed.insert(try row.decode(column: "id", as: UUID.self))
                    }
                }
            }
            var dropped = [UUID]()
            var digests: [(member: Member, rows: [NotificationRow])] = []
            for id in ids {
                guard let member = members[id], let rows = due[id]?.filter({ claimed.contains($0.id) }), !rows.isEmpty else { continue }
                // Someone who left, or on a break, gets nothing; what was waiting is let go.
                if member.isClosed || member.isOnBreak(at: now) {
                    dropped += rows.map(\.id)
                    continue
                }
                digests.append((member, rows))
            }
            // The unsubscribe link needs each member's secret stored.
            try await NotificationPreferences.insertDefaults(digests.compactMap { prefs[$0.member.id!] }.filter { !$0.$id.exists }, on: db)
            let tokens = try await NotificationPreferences.tokens(of: digests.map { $0.member.id! }, on: db)
            var mails: [(mail: ComposedMail, to: String)] = []
            for (member, rows) in digests {
                guard let token = tokens[member.id!] else { continue }
                let weekly = !rows.contains { $0.emailState == .daily }
                let composer = NotificationMails(localizer: localizer, locale: member.locale ?? defaultLocale, publicURL: publicURL)
                mails.append((composer.digest(rows, pseudonym: member.pseudonym, token: token, weekly: weekly), member.email))
            }
            try await Outbox.enqueue(mails, on: db, now: now)
            for start in stride(from: 0, to: dropped.count, by: 500) {
                let slice = Array(dropped[start..<min(start + 500, dropped.count)])
                try await Notification.query(on: db).filter(\.$id ~~ slice).set(\.$emailState, to: .none).update()
            }
            return mails.count
        }
    }
}
