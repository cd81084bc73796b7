import Fluent
import Foundation

/// No post left alone: a member's topic that nobody else has replied to after the set time
/// (`SiteSettings`: 12 hours, 6 for a member's first topic) waits for a response. The
/// moderators see every such topic, oldest first, on their queue page and dashboard; members
/// who chose to be responders see a few on their home page. A computed list, not queue rows:
/// it needs no job, cannot go stale, and a topic leaves it with the first reply.
struct ResponseWatch {
    let database: any Database
    let settings: SiteSettings
    let now: Date

    /// How far back topics are looked at, like the dashboard's other figures: it keeps the list
    /// on the recent end of the topics index (a topic nobody answered in a month has long been
    /// in front of the moderators).
    static let lookBack: TimeInterval = 30 * 86_400
    /// The moderators' list shows at most this many (with the total).
    static let moderatorLimit = 100
    /// A responder is shown a short list, never a pile.
    static let responderLimit = 3
    /// The dashboard shows the oldest few.
    static let dashboardLimit = 5

    var cutoffs: ResponseWatchQueries.Cutoffs {
        ResponseWatchQueries.Cutoffs(
            from: now.addingTimeInterval(-Self.lookBack),
            firstTopicBefore: now.addingTimeInterval(-settings.firstTopicWait),
            otherTopicBefore: now.addingTimeInterval(-settings.responseWait))
    }

    /// How long a topic may go without a reply before it waits.
    func allowedWait(firstTopic: Bool) -> TimeInterval { firstTopic ? settings.firstTopicWait : settings.responseWait }

    static func load(on db: any Database, now: Date) async throws -> ResponseWatch {
        ResponseWatch(database: db, settings: try await SiteSettingsQueries.load(on: db), now: now)
    }

    /// Every waiting topic (up to `limit`), oldest first, and how many wait in all.
    func waiting(limit: Int = ResponseWatch.moderatorLimit) async throws -> WaitingList {
        let (topics, total) = try await ResponseWatchQueries.waiting(cutoffs, limit: limit, on: database)
        return WaitingList(topics: topics, total: total, settings: settings)
    }

    /// Median time to a first response and the topics that waited longer than allowed, over the
    /// members' topics opened in the last 30 days (one query; the arithmetic here).
    func figures() async throws -> ResponseFigures {
        let rows = try await ResponseWatchQueries.responseTimes(since: now.addingTimeInterval(-Self.lookBack), on: database)
        return ResponseFigures(
            medianFirstResponse: median(rows.compactMap { row in row.firstResponseAt.map { $0.timeIntervalSince(row.createdAt) } }),
            waitedTooLong: rows.filter { row in
                (row.firstResponseAt ?? now).timeIntervalSince(row.createdAt) > allowedWait(firstTopic: row.firstTopic)
            }.count)
    }

    /// What a member who chose to be a responder is shown on their home page: at most three
    /// waiting topics, not their own, none they muted; nothing during their quiet hours or a
    /// break, and nothing at all for members who did not choose it (then without a query).
    /// Those that began to wait most recently come first: the moderators work from the oldest,
    /// a reply soon after the wait began finds the author still looking, and a responder is not
    /// shown the same three topics that nobody felt able to answer day after day.
    static func forResponder(_ member: Member, now: Date, on db: any Database) async throws -> [WaitingTopic] {
        guard member.responderSince != nil, !member.isOnBreak(at: now) else { return [] }
        let prefs = try await NotificationPreferences.of(member.requireID(), on: db)
        if let quiet = prefs.quietHours, quiet.contains(minute: LocalTime(now, member.zone).minute) { return [] }
        let watch = try await load(on: db, now: now)
        return try await ResponseWatchQueries.waiting(watch.cutoffs, viewer: member.requireID(), newestFirst: true, limit: responderLimit, on: db)
            .topics
    }
}

/// The waiting topics as the moderators see them.
struct WaitingList: Sendable {
    let topics: [WaitingTopic]
    /// All that wait, which may be more than are listed.
    let total: Int
    /// The thresholds in force, for the explanation above the list.
    let settings: SiteSettings

    static let empty = WaitingList(topics: [], total: 0, settings: SiteSettings())
}

/// The safety net's figures on the moderation dashboard.
struct ResponseFigures: Sendable {
    /// Median time from a topic's opening to the first reply by someone else; nil without data.
    let medianFirstResponse: TimeInterval?
    /// Topics that waited (or still wait) longer than the set time.
    let waitedTooLong: Int
}
