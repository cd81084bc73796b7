import Foundation
import NIOConcurrencyHelpers
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

    /// "4 december 2026". Lists show the same few days again and again, and Foundation's
    /// formatting costs tens of microseconds a call on Linux: each (zone, language, day) is
    /// formatted once and remembered (a few thousand entries at most).
    static func day(_ date: Date, locale: AppLocale) -> String {
        let zone = self.zone
        let dayNumber = Int((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))) / 86_400)
        let key = DayKey(zone: zone.identifier, locale: locale, day: dayNumber)
        if let known = dayCache.withLockedValue({ $0[key] }) { return known }
        let text = date.formatted(style(days[locale]!))
        dayCache.withLockedValue { cache in
            if cache.count >= 4_096 { cache.removeAll(keepingCapacity: true) }
            cache[key] = text
        }
        return text
    }

    private struct DayKey: Hashable {
        let zone: String
        let locale: AppLocale
        let day: Int
    }
    private static let dayCache = NIOLockedValueBox([DayKey: String]())

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
    /// "2026-12-04T23:12:25Z", as `.iso8601` writes it, by arithmetic: every row of a list
    /// carries one, and Foundation's formatter was the slowest part of rendering a list.
    static func iso(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60)):\(two(secondOfDay % 60))Z"
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
