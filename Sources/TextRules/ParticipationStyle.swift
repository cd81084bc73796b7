import Foundation

/// How a member took part in one week, from the study of the real platform: reading (visits and
/// reads only), posting (own topics or blog entries, no replies to others), responding (replies
/// or comments to others' posts), or inactive. Members move between them with their mood; the
/// product records, it does not judge.
public enum ParticipationStyle: String, CaseIterable, Sendable, Codable {
    case inactive
    case reading
    case posting
    case responding

    /// Inactive < reading < posting < responding: how far a week reached.
    public var level: Int {
        switch self {
        case .inactive: 0
        case .reading: 1
        case .posting: 2
        case .responding: 3
        }
    }
}

/// What a member did in one week, counted from the participation events.
public struct WeeklyParticipation: Sendable, Equatable {
    /// Days with a visit, and topics (or entries) read further.
    public var visits: Int
    public var reads: Int
    /// Topics and blog entries started, and replies in one's own topics (still "posting").
    public var posts: Int
    /// Replies and comments to other members' posts.
    public var repliesToOthers: Int
    /// Reactions given: a small way of responding that still counts as reading (no words).
    public var reactionsGiven: Int

    public init(visits: Int = 0, reads: Int = 0, posts: Int = 0, repliesToOthers: Int = 0, reactionsGiven: Int = 0) {
        self.visits = visits
        self.reads = reads
        self.posts = posts
        self.repliesToOthers = repliesToOthers
        self.reactionsGiven = reactionsGiven
    }
}

/// The one rule for the styles, with the week and month arithmetic the figures use.
public enum ParticipationStyles {
    /// The week's style: responding wins over posting, posting over reading.
    public static func classify(_ week: WeeklyParticipation) -> ParticipationStyle {
        if week.repliesToOthers > 0 { return .responding }
        if week.posts > 0 { return .posting }
        if week.visits > 0 || week.reads > 0 || week.reactionsGiven > 0 { return .reading }
        return .inactive
    }

    /// A month's style for the transitions figure: the style of most of its active weeks; a tie
    /// goes to the further-reaching style. Inactive only when no week was active.
    public static func monthStyle(of weeks: [ParticipationStyle]) -> ParticipationStyle {
        let active = weeks.filter { $0 != .inactive }
        guard !active.isEmpty else { return .inactive }
        let counts = Dictionary(grouping: active, by: { $0 }).mapValues(\.count)
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key.level < b.key.level }!.key
    }

    /// The Monday 00:00 that starts the week of `date` in `zone` (ISO weeks: Monday first).
    public static func weekStart(of date: Date, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        return calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date
    }

    /// "2026-W49": the ISO week of `date` in `zone`, as exports name it.
    public static func weekLabel(of date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", parts.yearForWeekOfYear ?? 0, parts.weekOfYear ?? 0)
    }
}
