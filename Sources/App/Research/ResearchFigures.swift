import Fluent
import Foundation
import SQLKit
import TextRules

/// The figures on the research dashboard, for members whose consent holds: members per style
/// per week, month-to-month transitions between styles, and weeks from joining to the first
/// post and the first response. Computed from the weekly table by the research job and kept as
/// a snapshot, so the page reads one row; counts only, and small cells are suppressed when shown.
struct ResearchFigures: Codable, Sendable, Equatable {
    struct Week: Codable, Sendable, Equatable {
        let start: Date
        /// Members per style (inactive included: consenting members with no activity that week).
        let counts: [String: Int]
    }
    struct Transition: Codable, Sendable, Equatable {
        let fromMonth: Date
        let toMonth: Date
        /// "reading>posting" → members.
        let counts: [String: Int]
    }
    var computedAt: Date
    var consenting: Int
    var weeks: [Week]
    var transitions: [Transition]
    /// Buckets of weeks from joining: "week1", "weeks2_4", "months1_3", "later", "not_yet".
    var firstPost: [String: Int]
    var firstResponse: [String: Int]

    static let weeksShown = 12
    static let monthPairs = 3
    static let buckets = ["week1", "weeks2_4", "months1_3", "later", "not_yet"]
    /// Snapshots older than this are computed again by the job (and by a page that finds none).
    static let freshFor: TimeInterval = 600

    static func bucket(weeks: Int?) -> String {
        guard let weeks else { return "not_yet" }
        switch weeks {
        case ..<1: return "week1"
        case 1..<4: return "weeks2_4"
        case 4..<13: return "months1_3"
        default: return "later"
        }
    }

    static func compute(study studyID: UUID, now: Date, on db: any Database) async throws -> ResearchFigures {
        let sql = db as! any SQLDatabase
        let zone = DateFormatting.communityZone
        let total =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM research_consents WHERE study_id = \(bind: studyID) AND answer = 'yes' AND withdrawn_at IS NULL"
            ).first()?.decode(column: "n", as: Int.self) ?? 0

        // When each consenting member joined: nobody counts as inactive before they were here.
        var joined = [Date]()
        try await forEachRow(
            """
            SELECT m.created_at FROM research_consents c JOIN members m ON m.id = c.member_id
            WHERE c.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL
            """, on: sql
        ) { row in joined.append(try row.decode(column: "created_at", as: Date.self)) }
        joined.sort()
        /// Consenting members who had joined before `moment`.
        func joinedBefore(_ moment: Date) -> Int {
            var low = 0
            var high = joined.count
            while low < high {
                let mid = (low + high) / 2
                if joined[mid] < moment { low = mid + 1 } else { high = mid }
            }
            return low
        }

        // Weeks: the last twelve, this one included.
        let thisWeek = ParticipationStyles.weekStart(of: now, in: zone)
        let firstWeek = WaveTiming.adding(months: 0, days: -7 * (weeksShown - 1), to: thisWeek, in: zone)
        var perWeek = [Date: [String: Int]]()
        for row in try await sql.raw(
            """
            SELECT w.week_start, w.style, COUNT(*) AS n FROM participation_weekly w
            JOIN research_consents c ON c.member_id = w.member_id
            WHERE c.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL AND w.week_start >= \(bind: firstWeek)
            GROUP BY w.week_start, w.style
            """
        ).all() {
            perWeek[try row.decode(column: "week_start", as: Date.self), default: [:]][try row.decode(column: "style", as: String.self)] =
                try row.decode(column: "n", as: Int.self)
        }
        var weeks = [Week]()
        var start = firstWeek
        while start <= thisWeek {
            var counts = perWeek[start] ?? [:]
            let active = counts.filter { $0.key != ParticipationStyle.inactive.rawValue }.values.reduce(0, +)
            let next = WaveTiming.adding(months: 0, days: 7, to: start, in: zone)
            counts[ParticipationStyle.inactive.rawValue] = max(0, joinedBefore(next) - active)
            weeks.append(Week(start: start, counts: counts))
            start = next
        }

        // Transitions: each member's month style (the one rule), for the last complete months.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let thisMonth = calendar.dateInterval(of: .month, for: now)!.start
        let months = (1...(monthPairs + 1)).reversed().map { WaveTiming.adding(months: -$0, days: 0, to: thisMonth, in: zone) }
        var styles = [UUID: [Date: [ParticipationStyle]]]()
        let monthCalendar = calendar
        try await forEachRow(
            """
            SELECT w.member_id, w.week_start, w.style FROM participation_weekly w
            JOIN research_consents c ON c.member_id = w.member_id
            WHERE c.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL
              AND w.week_start >= \(bind: months[0]) AND w.week_start < \(bind: thisMonth)
            """, on: sql
        ) { row in
            let week = try row.decode(column: "week_start", as: Date.self)
            let month = monthCalendar.dateInterval(of: .month, for: week)!.start
            let style = ParticipationStyle(rawValue: try row.decode(column: "style", as: String.self)) ?? .inactive
            styles[try row.decode(column: "member_id", as: UUID.self), default: [:]][month, default: []].append(style)
        }
        var transitions = [Transition]()
        for index in 0..<(months.count - 1) {
            var counts = [String: Int]()
            var counted = 0
            for (_, byMonth) in styles where byMonth[months[index]] != nil || byMonth[months[index + 1]] != nil {
                let from = ParticipationStyles.monthStyle(of: byMonth[months[index]] ?? [])
                let to = ParticipationStyles.monthStyle(of: byMonth[months[index + 1]] ?? [])
                counts["\(from.rawValue)>\(to.rawValue)", default: 0] += 1
                counted += 1
            }
            // Consenting members here by the end of the later month, with no activity in either.
            let end = WaveTiming.adding(months: 1, days: 0, to: months[index + 1], in: zone)
            counts["inactive>inactive", default: 0] += max(0, joinedBefore(end) - counted)
            transitions.append(Transition(fromMonth: months[index], toMonth: months[index + 1], counts: counts))
        }

        // Weeks from joining to the first post and the first response.
        var firstPost = Dictionary(uniqueKeysWithValues: buckets.map { ($0, 0) })
        var firstResponse = firstPost
        try await forEachRow(
            """
            SELECT m.created_at,
                   (SELECT MIN(w.week_start) FROM participation_weekly w WHERE w.member_id = c.member_id AND (w.posts > 0 OR w.replies_to_others > 0)) AS first_post,
                   (SELECT MIN(w.week_start) FROM participation_weekly w WHERE w.member_id = c.member_id AND w.replies_to_others > 0) AS first_response
            FROM research_consents c JOIN members m ON m.id = c.member_id
            WHERE c.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL
            """, on: sql
        ) { row in
            let joinedWeek = ParticipationStyles.weekStart(of: try row.decode(column: "created_at", as: Date.self), in: zone)
            func weeks(_ column: String) throws -> Int? {
                try row.decode(column: column, as: Date?.self).map { Int(($0.timeIntervalSince(joinedWeek) / (7 * 86_400)).rounded()) }
            }
            firstPost[bucket(weeks: try weeks("first_post")), default: 0] += 1
            firstResponse[bucket(weeks: try weeks("first_response")), default: 0] += 1
        }
        return ResearchFigures(
            computedAt: now, consenting: total, weeks: weeks, transitions: transitions, firstPost: firstPost, firstResponse: firstResponse)
    }

    /// The stored snapshot, if any.
    static func stored(study studyID: UUID, on db: any Database) async throws -> ResearchFigures? {
        guard let row = try await (db as! any SQLDatabase).raw("SELECT figures FROM research_figures WHERE study_id = \(bind: studyID)").first()
        else { return nil }
        return try? JSONDecoder().decode(ResearchFigures.self, from: Data(try row.decode(column: "figures", as: String.self).utf8))
    }

    static func store(_ figures: ResearchFigures, study studyID: UUID, on db: any Database) async throws {
        let json = String(decoding: try JSONEncoder().encode(figures), as: UTF8.self)
        try await (db as! any SQLDatabase).insert(into: "research_figures").columns("study_id", "computed_at", "figures")
            .values(SQLBind(studyID), SQLBind(figures.computedAt), SQLBind(json))
            .onConflict(with: ["study_id"]) { $0.set(excludedValueOf: "computed_at").set(excludedValueOf: "figures") }
            .run()
    }

    /// Recomputes the snapshots of studies that run (or ended less than a year ago) when stale.
    static func refresh(now: Date, on db: any Database) async throws -> Int {
        var refreshed = 0
        let studies = try await Study.query(on: db).filter(\.$startsAt <= now).filter(\.$endsAt > now.addingTimeInterval(-366 * 86_400)).all()
        for study in studies {
            let id = try study.requireID()
            // A snapshot from "the future" (a run with --now) is not trusted as fresh.
            if let stored = try await stored(study: id, on: db), (0..<freshFor).contains(now.timeIntervalSince(stored.computedAt)) { continue }
            try await store(try await compute(study: id, now: now, on: db), study: id, on: db)
            refreshed += 1
        }
        return refreshed
    }
}
