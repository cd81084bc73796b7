import Foundation

/// Dates as people read them, in the community's time zone (Europe/Amsterdam by default).
enum DateFormatting {
    static func day(_ date: Date, locale: AppLocale, timeZone: String = "Europe/Amsterdam") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: locale == .nl ? "nl_NL" : "en_GB")
        formatter.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Amsterdam")
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return formatter.string(from: date)
    }
}
