import Fluent
import Foundation
import SQLKit
import TextRules
import Vapor

/// `connect seed-research [--weeks 52] [--due 1000] [--seed S]`: for `scripts/bench-research`
/// and for trying the research pages with figures. Needs `seed-demo` first (its members and the
/// demo study). Every member consents a year ago with a year of participation events (about
/// 4.8 a week each: readers, posters and responders drifting between styles), their first three
/// waves answered; then `--due` more consents dated so that their 3-day wave falls due on the
/// day printed as `due-day`, the scheduling job's busy day.
struct SeedResearchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "weeks", help: "Weeks of participation events (default 52)") var weeks: Int?
        @Option(name: "due", help: "Members whose 3-day wave falls due on one day (default 1000)") var due: Int?
        @Option(name: "seed", help: "Random seed (default 1)") var seed: Int?
    }

    var help: String { "Adds research data in bulk: consents, a year of participation events, answers (run seed-demo first)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let now = app.connect.clock.now()
        let result = try await ResearchSeeder(
            weeks: max(1, signature.weeks ?? 52), due: max(0, signature.due ?? 1_000), seed: UInt64(max(0, signature.seed ?? 1)), now: now
        ).run(on: app.db)
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        context.console.success(
            "Seeded \(result.consents) consents, \(result.events) participation events, \(result.answers) answers in \(String(format: "%.1f", seconds)) s."
        )
        context.console.print("study: \(result.study.uuidString)")
        // An hour into the busy day: every 3-day wave of the busy members is due by then.
        context.console.print("due-day: \(ISO8601DateFormatter().string(from: result.dueDay.addingTimeInterval(3_600)))")
    }
}

struct ResearchSeeder {
    let weeks: Int
    let due: Int
    let seed: UInt64
    let now: Date

    struct Result {
        let study: UUID
        let consents: Int
        let events: Int
        let answers: Int
        let dueDay: Date
    }

    /// Invitation ids per UPDATE: well under SQLite's 32,766 bound values.
    static let batch = 4_000

    func run(on db: any Database) async throws -> Result {
        let sql = db as! any SQLDatabase
        guard let study = try await Study.query(on: db).sort(\.$startsAt).first(), let studyID = study.id else {
            throw Abort(.badRequest, reason: "Run seed-demo first: it adds the demo study.")
        }
        let waves = try await QuestionnaireQueries.waves(of: studyID, on: db)
        let questionnaire = try await QuestionnaireQueries.latest(code: waves.first?.questionnaireCode ?? "", in: studyID, on: db)
        let definition = try questionnaire?.definition()
        let zone = DateFormatting.communityZone
        var random = DemoText(seed: seed)
        let members = try await sql.raw("SELECT id FROM members WHERE role = 'member' ORDER BY created_at, id").all().map {
            try $0.decode(column: "id", as: UUID.self)
        }
        let start = WaveTiming.adding(months: 0, days: -7 * weeks, to: now, in: zone)
        // The busy day: a week from now; those consenting three days before it are due on it.
        let dueDay = WaveTiming.adding(months: 0, days: 7, to: now, in: zone)
        let dueConsent = WaveTiming.adding(months: 0, days: -3, to: dueDay, in: zone)
        let regular = Array(members.dropLast(min(due, members.count)))
        let busy = Array(members.suffix(min(due, members.count)))

        var consents = [[any Encodable & Sendable]]()
        for member in regular {
            consents.append([
                UUID(), studyID, member, "yes", 1, random.below(2) == 0, start.addingTimeInterval(Double(random.below(86_400))), nil as Date?,
            ])
        }
        for member in busy { consents.append([UUID(), studyID, member, "yes", 1, true, dueConsent, nil as Date?]) }
        try await DemoSeeder.insert(
            sql, "research_consents", ["id", "study_id", "member_id", "answer", "letter_version", "emails_allowed", "answered_at", "withdrawn_at"],
            consents)
        // Invitations for every wave (planned as at consent), the busy members' later too.
        _ = try await ResearchJob.plan(on: db, memberID: nil, limit: 1_000_000)
        // The regular members' first three waves: opened, and answered the day they opened.
        var answers = [[any Encodable & Sendable]]()
        var answered = 0
        let invitations = try await sql.raw(
            """
            SELECT i.id, i.due_at, w.position FROM research_invitations i JOIN study_waves w ON w.id = i.wave_id
            WHERE w.position < 3 AND i.due_at < \(bind: now)
            """
        ).all()
        var opened = [UUID]()
        for row in invitations {
            let id = try row.decode(column: "id", as: UUID.self)
            let at = try row.decode(column: "due_at", as: Date.self).addingTimeInterval(3_600)
            opened.append(id)
            guard let definition, questionnaire != nil else { continue }
            for item in definition.items where !item.kind.isFreeText && item.kind != .date {
                let value: String
                if let options = item.options, !options.isEmpty {
                    value = String(options[random.below(options.count)].value)
                } else {
                    value = String((item.min ?? 0) + random.below(max(1, (item.max ?? 10) - (item.min ?? 0))))
                }
                answers.append([UUID(), id, item.code, value, at])
                answered += 1
            }
            if answers.count >= 40_000 {
                try await DemoSeeder.insert(sql, "questionnaire_answers", ["id", "invitation_id", "item_code", "value", "answered_at"], answers)
                answers.removeAll(keepingCapacity: true)
            }
        }
        try await DemoSeeder.insert(sql, "questionnaire_answers", ["id", "invitation_id", "item_code", "value", "answered_at"], answers)
        for chunk in stride(from: 0, to: opened.count, by: Self.batch) {
            let ids = Array(opened[chunk..<min(chunk + Self.batch, opened.count)])
            try await sql.raw(
                """
                UPDATE research_invitations SET opened_at = due_at, reminded_at = due_at, started_at = due_at, completed_at = due_at,
                       next_section = 3, questionnaire_id = \(bind: questionnaire?.id)
                WHERE id IN (\(binds: ids))
                """
            ).run()
        }
        // The busy members' baseline opened at consent, so only their 3-day wave is left for the day.
        try await sql.raw(
            """
            UPDATE research_invitations SET opened_at = due_at, reminded_at = due_at
            WHERE due_at <= \(bind: dueConsent.addingTimeInterval(60)) AND opened_at IS NULL
            """
        ).run()

        // A year of participation: each member leans to reading, posting or responding, and drifts.
        let topics = try await sql.raw("SELECT id, author_id FROM topics WHERE kind = 'forum' ORDER BY id LIMIT 5000").all().map {
            (try $0.decode(column: "id", as: Int.self), try $0.decode(column: "author_id", as: UUID.self))
        }
        guard !topics.isEmpty else { throw Abort(.badRequest, reason: "Run seed-demo first: no topics.") }
        var events = [[any Encodable & Sendable]]()
        var eventCount = 0
        let kinds: [ParticipationEvent.Kind] = [.readTopic, .readTopic, .readTopic, .react, .postTopic, .reply]
        for member in members {
            var lean = random.below(3)
            for week in 0..<weeks {
                if random.below(12) == 0 { lean = random.below(3) }
                let active = random.below(10) < 7
                guard active else { continue }
                let count = 3 + random.below(8)
                for _ in 0..<count {
                    var kind = kinds[random.below(4)]
                    if lean >= 1 && random.below(6) == 0 { kind = .postTopic }
                    if lean == 2 && random.below(4) == 0 { kind = .reply }
                    let topic = topics[random.below(topics.count)]
                    let at = start.addingTimeInterval(Double(week * 7 * 86_400 + random.below(7 * 86_400)))
                    let other: UUID? = kind == .reply || kind == .react ? topic.1 : nil
                    events.append([UUID(), member, kind.rawValue, topic.0, nil as Int?, other, at])
                    eventCount += 1
                }
            }
            if events.count >= 40_000 {
                try await DemoSeeder.insert(
                    sql, "participation_events", ["id", "member_id", "kind", "topic_id", "post_id", "other_member_id", "created_at"], events)
                events.removeAll(keepingCapacity: true)
            }
        }
        try await DemoSeeder.insert(
            sql, "participation_events", ["id", "member_id", "kind", "topic_id", "post_id", "other_member_id", "created_at"], events)
        return Result(study: studyID, consents: consents.count, events: eventCount, answers: answered, dueDay: dueDay)
    }
}
