import Fluent
import Foundation
import SQLKit
import TextRules
import Vapor

/// The research side's background work, a batch at a time: plan each consenting member's
/// waves, open the waves that are due (in the app at once; by email only when the member agreed
/// to research emails at consent), send the one reminder, and fold new participation events
/// into the weekly table. Every send is claimed with a conditional UPDATE inside the send's
/// transaction, so two servers never send the same invitation twice.
struct ResearchJob: Sendable {
    let database: any Database
    /// The moment the schedule is run for (`research-tick --now` may set it ahead).
    let clock: any AppClock
    let localizer: Localizer
    let publicURL: String
    let defaultLocale: AppLocale
    var batch = 500
    /// The server's own clock, for what is recorded rather than scheduled: when mails may go,
    /// how far the participation fold reaches, and the figures' time. A tick run "as of" a
    /// later moment must not send mail the mail job holds back, nor skip real activity.
    var wallClock: (any AppClock)? = nil

    struct Report: Sendable, Equatable {
        var planned = 0
        var opened = 0
        var reminded = 0
        var emailed = 0
        var folded = 0
        var figures = 0
    }

    /// One round; with `catchUp`, rounds of each step until nothing is left (a command, or a
    /// day when a thousand invitations fall due).
    @discardableResult
    func runOnce(catchUp: Bool = false) async throws -> Report {
        var report = Report()
        repeat {
            let planned = try await plan()
            report.planned += planned
            if planned == 0 || !catchUp { break }
        } while true
        repeat {
            let sent = try await send(reminders: false)
            report.opened += sent.count
            report.emailed += sent.emailed
            if sent.count == 0 || !catchUp { break }
        } while true
        repeat {
            let reminded = try await send(reminders: true)
            report.reminded += reminded.count
            report.emailed += reminded.emailed
            if reminded.count == 0 || !catchUp { break }
        } while true
        let wall = wallClock ?? clock
        report.folded = try await ParticipationFold(database: database, clock: wall).runOnce(all: catchUp)
        report.figures = try await ResearchFigures.refresh(now: wall.now(), on: database)
        return report
    }

    /// Invitations for every wave of every consent that holds, dated on the calendar in the
    /// member's time zone from their consent. Conflicts (another server, a consent planned at
    /// once) are ignored.
    func plan() async throws -> Int {
        try await Self.plan(on: database, memberID: nil, limit: batch * 4)
    }

    static func plan(on db: any Database, memberID: UUID?, limit: Int) async throws -> Int {
        let sql = db as! any SQLDatabase
        let only: SQLQueryString = memberID.map { "AND c.member_id = \(bind: $0)" } ?? ""
        let rows = try await sql.raw(
            """
            SELECT c.study_id, c.member_id, c.answered_at, m.time_zone, w.id AS wave_id,
                   w.offset_months, w.offset_days, w.window_days, w.reminder_days
            FROM research_consents c
            JOIN study_waves w ON w.study_id = c.study_id
            JOIN members m ON m.id = c.member_id
            WHERE c.answer = 'yes' AND c.withdrawn_at IS NULL \(only)
              AND NOT EXISTS (SELECT 1 FROM research_invitations i WHERE i.wave_id = w.id AND i.member_id = c.member_id)
            LIMIT \(unsafeRaw: String(limit))
            """
        ).all()
        guard !rows.isEmpty else { return 0 }
        // In chunks: SQLite takes at most 32,766 bound values in one statement.
        for chunk in stride(from: 0, to: rows.count, by: 2_000) {
            let insert = sql.insert(into: ResearchInvitation.schema)
                .columns("id", "study_id", "wave_id", "member_id", "due_at", "closes_at", "remind_at", "emailed", "next_section")
            for row in rows[chunk..<min(chunk + 2_000, rows.count)] {
                let zone = TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? DateFormatting.communityZone
                let start = try row.decode(column: "answered_at", as: Date.self)
                let timing = WaveTiming(
                    months: try row.decode(column: "offset_months", as: Int.self), days: try row.decode(column: "offset_days", as: Int.self),
                    windowDays: try row.decode(column: "window_days", as: Int.self),
                    reminderDays: try row.decode(column: "reminder_days", as: Int?.self))
                insert.values(
                    SQLBind(UUID()), SQLBind(try row.decode(column: "study_id", as: UUID.self)),
                    SQLBind(try row.decode(column: "wave_id", as: UUID.self)), SQLBind(try row.decode(column: "member_id", as: UUID.self)),
                    SQLBind(timing.due(after: start, in: zone)), SQLBind(timing.closes(after: start, in: zone)),
                    SQLBind(timing.reminder(after: start, in: zone)), SQLBind(false), SQLBind(0))
            }
            try await insert.ignoringConflicts(with: ["wave_id", "member_id"]).run()
        }
        return rows.count
    }

    /// Opens due waves (or sends due reminders): only to members whose consent holds, who are
    /// verified, not on a break and not in their quiet hours; the rest wait for a later round
    /// while the window is open.
    private func send(reminders: Bool) async throws -> (count: Int, emailed: Int) {
        let now = clock.now()
        let sql = database as! any SQLDatabase
        let due: SQLQueryString =
            reminders
            ? "i.opened_at IS NOT NULL AND i.reminded_at IS NULL AND i.completed_at IS NULL AND i.remind_at <= \(bind: now) AND i.opened_at <= \(bind: now.addingTimeInterval(-86_400))"
            : "i.opened_at IS NULL AND i.due_at <= \(bind: now)"
        let rows = try await sql.raw(
            """
            SELECT i.id, i.member_id, c.emails_allowed
            FROM research_invitations i
            JOIN research_consents c ON c.study_id = i.study_id AND c.member_id = i.member_id
            JOIN members m ON m.id = i.member_id
            WHERE \(due) AND i.closes_at > \(bind: now) AND c.answer = 'yes' AND c.withdrawn_at IS NULL
              AND m.email_verified_at IS NOT NULL AND m.closed_at IS NULL
              AND (m.break_until IS NULL OR m.break_until <= \(bind: now))
            ORDER BY i.due_at
            LIMIT \(unsafeRaw: String(batch))
            """
        ).all()
        guard !rows.isEmpty else { return (0, 0) }
        var emailsAllowed = [UUID: Bool]()
        var memberOf = [UUID: UUID]()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            memberOf[id] = try row.decode(column: "member_id", as: UUID.self)
            emailsAllowed[id] = try row.decode(column: "emails_allowed", as: Bool.self)
        }
        let members = try await Member.query(on: database).filter(\.$id ~~ Set(memberOf.values)).all()
        let byID = Dictionary(uniqueKeysWithValues: members.compactMap { m in m.id.map { ($0, m) } })
        let prefs = try await NotificationPreferences.of(Array(byID.keys), on: database)
        let allowed = memberOf.filter { _, memberID in
            guard let member = byID[memberID] else { return false }
            let quiet = prefs[memberID]?.quietHours?.contains(minute: LocalTime(now, member.zone).minute) ?? false
            return !quiet
        }
        guard !allowed.isEmpty else { return (0, 0) }
        let column = reminders ? "reminded_at" : "opened_at"
        let (mayEmail, ownerOf) = (emailsAllowed, memberOf)
        let byMember = byID
        return try await database.transaction { db -> (count: Int, emailed: Int) in
            let sql = db as! any SQLDatabase
            // The claim: only rows still unsent are returned, so only one server sends each.
            let claimed = try await sql.raw(
                """
                UPDATE research_invitations SET \(ident: column) = \(bind: now)
                WHERE id IN (\(binds: Array(allowed.keys))) AND \(ident: column) IS NULL
                RETURNING id
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !claimed.isEmpty else { return (0, 0) }
            let notifications = sql.insert(into: Notification.schema)
                .columns("id", "member_id", "kind", "count", "created_at", "updated_at", "email_state", "group_key")
            var mails = [(mail: ComposedMail, to: String)]()
            for id in claimed {
                guard let memberID = ownerOf[id], let member = byMember[memberID] else { continue }
                notifications.values(
                    SQLBind(UUID()), SQLBind(memberID), SQLBind(Notification.Kind.research.rawValue), SQLBind(1), SQLBind(now), SQLBind(now),
                    SQLBind(Notification.EmailState.none.rawValue), SQLBind("invitation:\(id.uuidString)"))
                if mayEmail[id] == true {
                    let mailer = AccountMails(localizer: localizer, locale: member.locale ?? defaultLocale, publicURL: publicURL)
                    let mail = mailer.compose(
                        prefix: reminders ? "mail.research_reminder" : "mail.research_invite", pseudonym: member.pseudonym,
                        link: publicURL + Paths.questionnaire(id: id))
                    mails.append((mail, member.email))
                }
            }
            try await notifications.run()
            if !mails.isEmpty {
                try await Outbox.enqueue(mails, on: db, now: (wallClock ?? clock).now())
                let emailedIDs = claimed.filter { mayEmail[$0] == true }
                try await ResearchInvitation.query(on: db).filter(\.$id ~~ emailedIDs).set(\.$emailed, to: true).update()
            }
            return (claimed.count, mails.count)
        }
    }
}
