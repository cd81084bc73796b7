import Foundation

/// Dates as people read them, in the community's time zone (Europe/Amsterdam by default).
/// FormatStyle values are cheap and Sendable, unlike DateFormatter.
enum DateFormatting {
    static func day(_ date: Date, locale: AppLocale, timeZone: String = "Europe/Amsterdam") -> String {
        date.formatted(style(locale, timeZone, date: .long, time: .omitted))
    }

    /// Day and time, for posts and activity.
    static func dayTime(_ date: Date, locale: AppLocale, timeZone: String = "Europe/Amsterdam") -> String {
        date.formatted(style(locale, timeZone, date: .abbreviated, time: .shortened))
    }

    /// The machine-readable form for <time datetime>.
    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func style(_ locale: AppLocale, _ timeZone: String, date: Date.FormatStyle.DateStyle, time: Date.FormatStyle.TimeStyle) -> Date.FormatStyle {
        Date.FormatStyle(date: date, time: time, locale: Locale(identifier: locale == .nl ? "nl_NL" : "en_GB"),
                         calendar: Calendar(identifier: .gregorian),
                         timeZone: TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!)
    }
}
