import Foundation
import Testing

@testable import TextRules

@Suite("Participation styles: one rule, read from a table")
struct ParticipationStyleTests {
    @Test(
        "a week's style",
        arguments: [
            (WeeklyParticipation(), ParticipationStyle.inactive),
            (WeeklyParticipation(visits: 1), .reading),
            (WeeklyParticipation(reads: 4), .reading),
            (WeeklyParticipation(visits: 3, reactionsGiven: 2), .reading),
            (WeeklyParticipation(reads: 2, posts: 1), .posting),
            (WeeklyParticipation(posts: 3), .posting),
            (WeeklyParticipation(repliesToOthers: 1), .responding),
            (WeeklyParticipation(visits: 5, reads: 9, posts: 2, repliesToOthers: 1, reactionsGiven: 4), .responding),
        ])
    func week(_ activity: WeeklyParticipation, _ style: ParticipationStyle) {
        #expect(ParticipationStyles.classify(activity) == style)
    }

    @Test(
        "a month's style is most of its active weeks, ties to the further-reaching one",
        arguments: [
            ([ParticipationStyle](), ParticipationStyle.inactive),
            ([.inactive, .inactive, .inactive, .inactive], .inactive),
            ([.reading, .inactive, .inactive, .inactive], .reading),
            ([.reading, .reading, .posting, .inactive], .reading),
            ([.reading, .posting, .inactive, .inactive], .posting),
            ([.responding, .reading, .reading, .responding], .responding),
            ([.posting, .responding, .posting, .inactive], .posting),
        ])
    func month(_ weeks: [ParticipationStyle], _ style: ParticipationStyle) {
        #expect(ParticipationStyles.monthStyle(of: weeks) == style)
    }

    @Test("weeks start on Monday in the member's zone, across the year's end and daylight saving")
    func weeks() throws {
        let amsterdam = try #require(TimeZone(identifier: "Europe/Amsterdam"))
        let utc = try #require(TimeZone(identifier: "UTC"))
        // Sunday 2026-12-06 23:30 in Amsterdam is still week 49; in UTC (22:30) too.
        let sundayLate = Date(timeIntervalSince1970: 1_796_596_200)
        #expect(ParticipationStyles.weekLabel(of: sundayLate, in: amsterdam) == "2026-W49")
        // Monday 2026-12-07 00:30 in Amsterdam is week 50 there, but still Sunday in UTC.
        let mondayEarly = sundayLate.addingTimeInterval(3_600)
        #expect(ParticipationStyles.weekLabel(of: mondayEarly, in: amsterdam) == "2026-W50")
        #expect(ParticipationStyles.weekLabel(of: mondayEarly, in: utc) == "2026-W49")
        // 2027-01-01 belongs to the last ISO week of 2026.
        let newYear = Date(timeIntervalSince1970: 1_798_761_600)
        #expect(ParticipationStyles.weekLabel(of: newYear, in: utc) == "2026-W53")
        let start = ParticipationStyles.weekStart(of: mondayEarly, in: amsterdam)
        #expect(start <= mondayEarly && mondayEarly.timeIntervalSince(start) < 86_400)
        // Over the switch to summer time the week is 167 hours long, and still starts on Monday.
        let afterSwitch = Date(timeIntervalSince1970: 1_774_864_800)  // 2026-03-30 10:00 UTC, a Monday
        let before = ParticipationStyles.weekStart(of: afterSwitch.addingTimeInterval(-86_400), in: amsterdam)
        let after = ParticipationStyles.weekStart(of: afterSwitch, in: amsterdam)
        #expect(after.timeIntervalSince(before) == 167 * 3_600)
    }
}
