import Foundation

/// Dates as people read them, in the community's time zone (Europe/Amsterdam).
/// The format styles are built once: making a Locale and TimeZone per date is costly.
enum DateFormatting {
    private static let zone = TimeZone(identifier: "Europe/Amsterdam") ?? TimeZone(secondsFromGMT: 0)!
    private static let days: [AppLocale: Date.FormatStyle] = styles(date: .long, time: .omitted)
    private static let dayTimes: [AppLocale: Date.FormatStyle] = styles(date: .abbreviated, time: .shortened)

    static func day(_ date: Date, locale: AppLocale) -> String {
        date.formatted(days[locale]!)
    }

    /// Day and time, for posts and activity.
    static func dayTime(_ date: Date, locale: AppLocale) -> String {
        date.formatted(dayTimes[locale]!)
    }

    /// The machine-readable form for <time datetime>.
    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func styles(date: Date.FormatStyle.DateStyle, time: Date.FormatStyle.TimeStyle) -> [AppLocale: Date.FormatStyle] {
        var result = [AppLocale: Date.FormatStyle]()
        for locale in AppLocale.allCases {
            result[locale] = Date.FormatStyle(date: date, time: time, locale: Locale(identifier: locale == .nl ? "nl_NL" : "en_GB"),
                                              calendar: Calendar(identifier: .gregorian), timeZone: zone)
        }
        return result
    }
}
