import Foundation

/// When a wave of a study's schedule falls for one member: months and days after their start
/// (consent), counted on the calendar in their own time zone, so "3 months" is the same day of
/// the month and a daylight-saving change never moves a wave by an hour.
public struct WaveTiming: Equatable, Sendable {
    public var months: Int
    public var days: Int
    public var windowDays: Int
    public var reminderDays: Int?

    public init(months: Int, days: Int, windowDays: Int, reminderDays: Int?) {
        self.months = months
        self.days = days
        self.windowDays = windowDays
        self.reminderDays = reminderDays
    }

    /// When the wave opens for a member who started at `start`.
    public func due(after start: Date, in zone: TimeZone) -> Date {
        Self.adding(months: months, days: days, to: start, in: zone)
    }

    /// When it closes: `windowDays` calendar days after it opened.
    public func closes(after start: Date, in zone: TimeZone) -> Date {
        Self.adding(months: 0, days: windowDays, to: due(after: start, in: zone), in: zone)
    }

    /// When the one reminder is due, if there is one and it falls inside the window.
    public func reminder(after start: Date, in zone: TimeZone) -> Date? {
        guard let reminderDays, reminderDays > 0, reminderDays < windowDays else { return nil }
        return Self.adding(months: 0, days: reminderDays, to: due(after: start, in: zone), in: zone)
    }

    /// Whether the figures make sense: a wave opens at or after the start, stays open at least a
    /// day, and reminds (if at all) while it is still open.
    public var isValid: Bool {
        months >= 0 && months <= 60 && days >= 0 && days <= 3_650 && windowDays >= 1 && windowDays <= 365
            && (reminderDays.map { $0 >= 1 && $0 < windowDays } ?? true)
    }

    public static func adding(months: Int, days: Int, to date: Date, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(byAdding: DateComponents(month: months, day: days), to: date) ?? date
    }
}
