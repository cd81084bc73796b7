import Fluent
import Foundation
import SQLKit
import TextRules

/// Keeps `participation_weekly` up to date from the participation events, a span at a time
/// from a cursor: the figures and exports read the weekly rows, never all events. Each span
/// is claimed by moving the cursor with a conditional UPDATE in the fold's transaction, so two
/// servers never count an event twice.
struct ParticipationFold: Sendable {
    let database: any Database
    let clock: any AppClock
    /// Events younger than this may belong to a transaction that has not committed yet.
    static let settle: TimeInterval = 120
    /// At most this much time per round, so one round stays small.
    static let span: TimeInterval = 7 * 86_400
    static let cursorName = "participation"

    struct Counts: Sendable {
        var reads = 0
        var posts = 0
        var repliesToOthers = 0
        var reactionsGiven = 0
        var reactionsReceived = 0

        var week: WeeklyParticipation {
            WeeklyParticipation(reads: reads, posts: posts, repliesToOthers: repliesToOthers, reactionsGiven: reactionsGiven)
        }
        static func + (a: Counts, b: Counts) -> Counts {
            Counts(
                reads: a.reads + b.reads, posts: a.posts + b.posts, repliesToOthers: a.repliesToOthers + b.repliesToOthers,
                reactionsGiven: a.reactionsGiven + b.reactionsGiven, reactionsReceived: a.reactionsReceived + b.reactionsReceived)
        }
    }

    struct Key: Hashable {
        let member: UUID
        let week: Date
    }

    /// Folds one span; returns how many events it counted. Rounds until caught up when `all`,
    /// up to the moment the call began (a clock that runs on would otherwise never be caught).
    @discardableResult
    func runOnce(all: Bool = false) async throws -> Int {
        let bound = clock.now().addingTimeInterval(-Self.settle)
        var total = 0
        while true {
            guard let counted = try await foldSpan(upTo: bound) else { return total }
            total += counted
            if !all { return total }
        }
    }

    /// Nil when there was nothing to fold (caught up, or another server holds the span).
    private func foldSpan(upTo upperBound: Date) async throws -> Int? {
        let sql = database as! any SQLDatabase
        let from: Date
        if let stored = try await sql.raw("SELECT position FROM research_cursors WHERE name = \(bind: Self.cursorName)").first() {
            from = try stored.decode(column: "position", as: Date.self)
        } else {
            let first = try await sql.raw("SELECT MIN(created_at) AS first FROM participation_events").first()
            let start = try first?.decode(column: "first", as: Date?.self) ?? upperBound
            try await sql.insert(into: "research_cursors").columns("name", "position").values(SQLBind(Self.cursorName), SQLBind(start))
                .ignoringConflicts(with: ["name"]).run()
            return 0
        }
        let to = min(from.addingTimeInterval(Self.span), upperBound)
        // A millisecond's margin: PostgreSQL keeps microseconds, so a stored cursor may sit a
        // hair below the bound it was set to.
        guard to.timeIntervalSince(from) > 0.001 else { return nil }
        return try await database.transaction { db in
            let sql = db as! any SQLDatabase
            let claimed = try await sql.raw(
                """
                UPDATE research_cursors SET position = \(bind: to) WHERE name = \(bind: Self.cursorName) AND position = \(bind: from)
                RETURNING name
                """
            ).first()
            guard claimed != nil else { return nil }
            let zone = DateFormatting.communityZone
            var counts = [Key: Counts]()
            var events = 0
            try await forEachRow(
                """
                SELECT member_id, kind, other_member_id, created_at FROM participation_events
                WHERE created_at >= \(bind: from) AND created_at < \(bind: to)
                """, on: sql
            ) { row in
                events += 1
                let member = try row.decode(column: "member_id", as: UUID.self)
                let other = try row.decode(column: "other_member_id", as: UUID?.self)
                let at = try row.decode(column: "created_at", as: Date.self)
                let week = ParticipationStyles.weekStart(of: at, in: zone)
                let key = Key(member: member, week: week)
                var c = counts[key] ?? Counts()
                switch ParticipationEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)) {
                case .readTopic: c.reads += 1
                case .postTopic: c.posts += 1
                case .reply:
                    if let other, other != member { c.repliesToOthers += 1 } else { c.posts += 1 }
                case .react:
                    c.reactionsGiven += 1
                    if let other, other != member {
                        counts[Key(member: other, week: week), default: Counts()].reactionsReceived += 1
                    }
                case nil: break
                }
                counts[key] = c
            }
            guard !counts.isEmpty else { return events }
            try await Self.add(counts, on: sql)
            return events
        }
    }

    /// Adds counts to the weekly rows (creating them), with each week's style from the one rule.
    static func add(_ counts: [Key: Counts], on sql: any SQLDatabase) async throws {
        let weeks = Set(counts.keys.map(\.week))
        var existing = [Key: (UUID, Counts)]()
        for row in try await sql.raw(
            """
            SELECT id, member_id, week_start, reads, posts, replies_to_others, reactions_given, reactions_received
            FROM participation_weekly WHERE week_start IN (\(binds: Array(weeks)))
            """
        ).all() {
            let key = Key(member: try row.decode(column: "member_id", as: UUID.self), week: try row.decode(column: "week_start", as: Date.self))
            guard counts[key] != nil else { continue }
            existing[key] = (
                try row.decode(column: "id", as: UUID.self),
                Counts(
                    reads: try row.decode(column: "reads", as: Int.self), posts: try row.decode(column: "posts", as: Int.self),
                    repliesToOthers: try row.decode(column: "replies_to_others", as: Int.self),
                    reactionsGiven: try row.decode(column: "reactions_given", as: Int.self),
                    reactionsReceived: try row.decode(column: "reactions_received", as: Int.self))
            )
        }
        let keys = Array(counts.keys)
        for start in stride(from: 0, to: keys.count, by: 1_000) {
            let insert = sql.insert(into: "participation_weekly")
                .columns("id", "member_id", "week_start", "reads", "posts", "replies_to_others", "reactions_given", "reactions_received", "style")
            for key in keys[start..<min(start + 1_000, keys.count)] {
                let old = existing[key]
                let total = (old?.1 ?? Counts()) + counts[key]!
                insert.values(
                    SQLBind(old?.0 ?? UUID()), SQLBind(key.member), SQLBind(key.week), SQLBind(total.reads), SQLBind(total.posts),
                    SQLBind(total.repliesToOthers), SQLBind(total.reactionsGiven), SQLBind(total.reactionsReceived),
                    SQLBind(ParticipationStyles.classify(total.week).rawValue))
            }
            try await insert.onConflict(with: ["member_id", "week_start"]) { update in
                for column in ["reads", "posts", "replies_to_others", "reactions_given", "reactions_received", "style"] {
                    _ = update.set(excludedValueOf: column)
                }
                return update
            }.run()
        }
    }
}
