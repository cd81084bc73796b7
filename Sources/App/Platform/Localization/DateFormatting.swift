import Foundation
import Vapor

/// Dates as people read them: in the reader's time zone (set per request by
/// `TimeZoneMiddleware` from the member's setting), else the community's (Europe/Amsterdam).
/// The format styles for the community's zone are built once: making a Locale and TimeZone
/// per date is costly.
enum DateFormatting {
    static let communityZone = TimeZone(identifier: "Europe/Amsterdam") ?? TimeZone(secondsFromGMT: 0)!
    /// The zone dates are shown in while rendering for one reader.
    @TaskLocal static var zone: TimeZone = communityZone
    private static let days: [AppLocale: Date.FormatStyle] = styles(date: .long, time: .omitted)
    /// Hours always with two digits ("00:41", "09:21"), as both languages write a 24-hour
    /// clock: the short time style wrote "0:41" in the small hours.
    private static let dayTimes: [AppLocale: Date.FormatStyle] = styles(date: .abbreviated, time: .omitted).mapValues {
        $0.hour(.twoDigits(amPM: .omitted)).minute(.twoDigits)
    }

    static func day(_ date: Date, locale: AppLocale) -> String {
        date.formatted(style(days[locale]!))
    }

    /// "november 2026" / "November 2026", in the community's zone (research figures by month).
    static func month(_ date: Date, locale: AppLocale) -> String {
        date.formatted(months[locale]!)
    }
    private static let months: [AppLocale: Date.FormatStyle] = days.mapValues { base in
        Date.FormatStyle(locale: base.locale, calendar: base.calendar, timeZone: base.timeZone).month(.wide).year()
    }

    /// Day and time, for posts and activity.
    static func dayTime(_ date: Date, locale: AppLocale) -> String {
        date.formatted(style(dayTimes[locale]!))
    }

    private static func style(_ base: Date.FormatStyle) -> Date.FormatStyle {
        guard zone.identifier != communityZone.identifier else { return base }
        var style = base
        style.timeZone = zone
        return style
    }

    /// "14:05": the time of day in the reader's zone, for lists grouped by day.
    static func time(_ date: Date, locale: AppLocale) -> String {
        date.formatted(style(times[locale]!))
    }
    private static let times: [AppLocale: Date.FormatStyle] = styles(date: .omitted, time: .omitted).mapValues {
        $0.hour(.twoDigits(amPM: .omitted)).minute(.twoDigits)
    }

    /// The calendar day of a moment in the reader's zone, to group a list by day.
    static func dayStart(_ date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.startOfDay(for: date)
    }

    /// The machine-readable form for <time datetime>.
    static func iso(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    private static func styles(date: Date.FormatStyle.DateStyle, time: Date.FormatStyle.TimeStyle) -> [AppLocale: Date.FormatStyle] {
        var result = [AppLocale: Date.FormatStyle]()
        for locale in AppLocale.allCases {
            result[locale] = Date.FormatStyle(
                date: date, time: time, locale: Locale(identifier: locale == .nl ? "nl_NL" : "en_GB"),
                calendar: Calendar(identifier: .gregorian), timeZone: communityZone)
        }
        return result
    }
}

/// Shows dates in the logged-in member's own time zone for the rest of the request.
struct TimeZoneMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let member = request.member, member.timeZone != DateFormatting.communityZone.identifier else {
            return try await next.respond(to: request)
        }
        return try await DateFormatting.$zone.withValue(member.zone) { try await next.respond(to: request) }
    }
}
