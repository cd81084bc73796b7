import Fluent
import Foundation
import SQLKit
import Vapor

/// How much the community may reach out to one member. Calm by default: replies and mentions
/// in a daily digest, reactions never by email, moderators' messages at once, at most five
/// emails a day. A member without a row has the defaults.
final class NotificationPreferences: Model, @unchecked Sendable {
    static let schema = "notification_preferences"

    /// The email settings, one per group of kinds.
    enum Channel: String, CaseIterable, Sendable {
        case replies, mentions, reactions, moderator, watching
        /// News and publications from the team.
        case news
        /// New private messages.
        case messages

        /// The choices a member has. A private message never goes out by email on its own: at
        /// most a digest says that one is waiting (and never what it says).
        var frequencies: [Frequency] {
            self == .messages ? [.daily, .weekly, .never] : Frequency.allCases
        }
    }

    enum Frequency: String, Codable, Sendable, CaseIterable {
        case immediately, daily, weekly, never
    }

    static let defaultBudget = 5
    static let budgetRange = 1...20
    /// The suggested quiet hours: 22:00 to 08:00 in the member's time zone.
    static let suggestedQuiet = (start: 22 * 60, end: 8 * 60)
    /// Digests go out at this local time (or when quiet hours end, if later).
    static let digestMinute = 8 * 60

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "email_replies") var emailReplies: Frequency
    @Field(key: "email_mentions") var emailMentions: Frequency
    @Field(key: "email_reactions") var emailReactions: Frequency
    @Field(key: "email_moderator") var emailModerator: Frequency
    @Field(key: "email_watching") var emailWatching: Frequency
    @Field(key: "email_news") var emailNews: Frequency
    @Field(key: "email_messages") var emailMessages: Frequency
    @Field(key: "quiet_enabled") var quietEnabled: Bool
    /// Minutes after local midnight.
    @Field(key: "quiet_start") var quietStart: Int
    @Field(key: "quiet_end") var quietEnd: Int
    @Field(key: "daily_budget") var dailyBudget: Int
    /// The local day ("2026-11-29") that `budget_used` counts.
    @Field(key: "budget_day") var budgetDay: String
    @Field(key: "budget_used") var budgetUsed: Int
    /// The secret in one-click unsubscribe links (it can only turn email off).
    @Field(key: "unsubscribe_token") var unsubscribeToken: String

    init() {}

    /// The defaults for a member.
    init(memberID: UUID) {
        self.memberID = memberID
        emailReplies = .daily
        emailMentions = .daily
        emailReactions = .never
        emailModerator = .immediately
        emailWatching = .daily
        // Team news and private messages: in the app only, unless the member asks for email.
        emailNews = .never
        emailMessages = .never
        quietEnabled = false
        quietStart = Self.suggestedQuiet.start
        quietEnd = Self.suggestedQuiet.end
        dailyBudget = Self.defaultBudget
        budgetDay = ""
        budgetUsed = 0
        unsubscribeToken = SecureToken.generate()
    }

    func frequency(for channel: Channel) -> Frequency {
        switch channel {
        case .replies: emailReplies
        case .mentions: emailMentions
        case .reactions: emailReactions
        case .moderator: emailModerator
        case .watching: emailWatching
        case .news: emailNews
        case .messages: emailMessages
        }
    }

    func set(_ frequency: Frequency, for channel: Channel) {
        switch channel {
        case .replies: emailReplies = frequency
        case .mentions: emailMentions = frequency
        case .reactions: emailReactions = frequency
        case .moderator: emailModerator = frequency
        case .watching: emailWatching = frequency
        case .news: emailNews = frequency
        case .messages: emailMessages = frequency
        }
    }

    var quietHours: QuietHours? { quietEnabled ? QuietHours(start: quietStart, end: quietEnd) : nil }

    /// Stores default rows (for their unsubscribe secret) in one multi-row insert. A row that
    /// another process stored meanwhile wins: callers read the stored secrets afterwards.
    static func insertDefaults(_ rows: [NotificationPreferences], on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        let insert = (db as! any SQLDatabase).insert(into: schema)
            .columns(
                "id", "member_id", "email_replies", "email_mentions", "email_reactions", "email_moderator", "email_watching",
                "email_news", "email_messages", "quiet_enabled", "quiet_start", "quiet_end", "daily_budget", "budget_day", "budget_used",
                "unsubscribe_token")
        for p in rows {
            let id = UUID()
            insert.values(
                SQLBind(id), SQLBind(p.memberID), SQLBind(p.emailReplies.rawValue), SQLBind(p.emailMentions.rawValue),
                SQLBind(p.emailReactions.rawValue), SQLBind(p.emailModerator.rawValue), SQLBind(p.emailWatching.rawValue),
                SQLBind(p.emailNews.rawValue), SQLBind(p.emailMessages.rawValue), SQLBind(p.quietEnabled), SQLBind(p.quietStart), SQLBind(p.quietEnd),
                SQLBind(p.dailyBudget),
                SQLBind(p.budgetDay), SQLBind(p.budgetUsed), SQLBind(p.unsubscribeToken))
            p.id = id
            p.$id.exists = true
        }
        try await insert.ignoringConflicts(with: ["member_id"]).run()
    }

    /// The stored unsubscribe secrets of these members.
    static func tokens(of memberIDs: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !memberIDs.isEmpty else { return [:] }
        var result = [UUID: String]()
        for row in try await (db as! any SQLDatabase).raw(
            """
            SELECT member_id, unsubscribe_token FROM notification_preferences WHERE member_id IN (\(binds: memberIDs))
            """
        ).all() {
            result[try row.decode(column: "member_id", as: UUID.self)] = try row.decode(column: "unsubscribe_token", as: String.self)
        }
        return result
    }

    /// The member's row, or the defaults (not stored).
    static func of(_ memberID: UUID, on db: any Database) async throws -> NotificationPreferences {
        try await query(on: db).filter(\.$memberID == memberID).first() ?? NotificationPreferences(memberID: memberID)
    }

    /// Several members' rows at once, with defaults for those without one.
    static func of(_ memberIDs: [UUID], on db: any Database) async throws -> [UUID: NotificationPreferences] {
        guard !memberIDs.isEmpty else { return [:] }
        var result = [UUID: NotificationPreferences]()
        for prefs in try await query(on: db).filter(\.$memberID ~~ memberIDs).all() { result[prefs.memberID] = prefs }
        for id in memberIDs where result[id] == nil { result[id] = NotificationPreferences(memberID: id) }
        return result
    }
}

/// A daily window without email, in the member's time zone; it may cross midnight.
struct QuietHours: Sendable, Equatable {
    /// Minutes after local midnight.
    let start: Int
    let end: Int

    func contains(minute: Int) -> Bool {
        if start == end { return false }
        return start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
    }

    /// `date` itself when outside the window, otherwise the moment the window ends.
    func nextAllowed(after date: Date, in zone: TimeZone) -> Date {
        let local = LocalTime(date, zone)
        guard contains(minute: local.minute) else { return date }
        var minutesLeft = end - local.minute
        if minutesLeft <= 0 { minutesLeft += 24 * 60 }
        // Whole minutes from the start of this minute, so 23:00:30 waits until 08:00:00.
        return date.addingTimeInterval(Double(minutesLeft * 60) - local.secondsIntoMinute)
    }
}

/// When digests go out: at 08:00 in the member's time zone (or when their quiet hours end,
/// if those last longer), daily, or on Mondays for the weekly one.
enum DigestSchedule {
    /// The first digest moment strictly after `date`.
    static func next(after date: Date, zone: TimeZone, quiet: QuietHours?, weekly: Bool) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var minute = NotificationPreferences.digestMinute
        if let quiet, quiet.contains(minute: minute) { minute = quiet.end }
        var day = calendar.startOfDay(for: date)
        for _ in 0..<15 {
            if let moment = calendar.date(byAdding: .minute, value: minute, to: day), moment > date,
                !weekly || calendar.component(.weekday, from: moment) == 2
            {
                return moment
            }
            day = calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86_400)
        }
        return date.addingTimeInterval(86_400)
    }
}

/// A moment as a clock on the wall shows it in one time zone.
struct LocalTime {
    let day: String
    let minute: Int
    let secondsIntoMinute: Double
    /// 1 = Sunday … 7 = Saturday.
    let weekday: Int
    /// The local day of the Monday of this week, naming the weekly digest's week.
    let monday: String

    init(_ date: Date, _ zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond, .weekday], from: date)
        day = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        minute = (c.hour ?? 0) * 60 + (c.minute ?? 0)
        secondsIntoMinute = Double(c.second ?? 0) + Double(c.nanosecond ?? 0) / 1e9
        weekday = c.weekday ?? 1
        let back = (weekday + 5) % 7  // days since Monday
        let m = calendar.dateComponents([.year, .month, .day], from: date.addingTimeInterval(-Double(back) * 86_400))
        monday = String(format: "%04d-%02d-%02d", m.year ?? 0, m.month ?? 0, m.day ?? 0)
    }
}

extension Member {
    /// The member's time zone, or Amsterdam if the stored name is unknown.
    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Amsterdam")! }
}
