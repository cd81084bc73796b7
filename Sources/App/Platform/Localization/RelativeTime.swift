import Foundation
import Plot

/// "5 minutes ago", "3 hours ago", "2 days ago", then the date: how people say when something
/// happened in a conversation. The exact moment stays in the `<time>` element's title.
enum RelativeTime {
    static func text(_ date: Date, now: Date, t: Translator) -> String {
        let seconds = max(0, now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return t("time.just_now")
        case ..<3_600: return t("time.minutes_ago", count: Int(seconds / 60))
        case ..<86_400: return t("time.hours_ago", count: Int(seconds / 3_600))
        case ..<(7 * 86_400): return t("time.days_ago", count: Int(seconds / 86_400))
        default: return DateFormatting.day(date, locale: t.locale)
        }
    }
}

/// A moment written the relative way; the exact moment is in `datetime` for tools.
struct TimeAgo: Component {
    let date: Date
    let context: PageContext

    var body: Component {
        El("time", ["datetime": DateFormatting.iso(date)]) {
            T(RelativeTime.text(date, now: context.now, t: context.t))
        }
    }
}
