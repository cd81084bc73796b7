import Foundation
import Testing

@testable import TextRules

@Suite("Questionnaires: definitions, answers, safety thresholds and wave timing")
struct QuestionnaireTests {
    typealias Q = QuestionnaireDefinition
    static let scale = (0...3).map { Q.Option(value: $0, label: .init(nl: "n\($0)", en: "e\($0)")) }

    static func sample() -> Q {
        Q(
            code: "mood", title: .init(nl: "Stemming", en: "Mood"),
            sections: [
                .init(
                    code: "now", title: .init(nl: "Nu", en: "Now"),
                    items: [
                        .init(code: "low", kind: .likert, text: .init(nl: "Somber?", en: "Low?"), options: scale),
                        .init(code: "dead", kind: .likert, text: .init(nl: "Dood?", en: "Dead?"), options: scale, safetyThreshold: 2),
                        .init(code: "sleep", kind: .number, text: .init(nl: "Uren", en: "Hours"), required: false, min: 0, max: 24),
                    ]),
                .init(
                    code: "more", title: .init(nl: "Meer", en: "More"),
                    items: [
                        .init(code: "helps", kind: .multiple, text: .init(nl: "Wat helpt?", en: "What helps?"), options: scale),
                        .init(code: "since", kind: .date, text: .init(nl: "Sinds", en: "Since"), required: false),
                        .init(code: "words", kind: .longText, text: .init(nl: "Iets kwijt?", en: "Anything?"), required: false),
                    ]),
            ])
    }

    @Test("a sound definition has no problems and survives its JSON")
    func roundTrip() throws {
        let q = Self.sample()
        #expect(q.problems().isEmpty)
        #expect(try Q.decode(q.encoded()) == q)
    }

    /// The sample with one part broken, named by the problem it should raise.
    static func broken(_ key: String) -> Q {
        var q = sample()
        switch key {
        case "questionnaire.problem.code": q.code = "Bad Code"
        case "questionnaire.problem.text": q.title.en = "  "
        case "questionnaire.problem.sections": q.sections = []
        case "questionnaire.problem.item_code": q.sections[1].items[0].code = "low"
        case "questionnaire.problem.section_code": q.sections[1].code = "now"
        case "questionnaire.problem.options": q.sections[0].items[0].options = [scale[0]]
        case "questionnaire.problem.option_values": q.sections[0].items[0].options = [scale[0], scale[0]]
        case "questionnaire.problem.range": q.sections[0].items[2].max = -1
        case "questionnaire.problem.threshold": q.sections[1].items[1].safetyThreshold = 1
        case "questionnaire.problem.export": q.sections[0].items[0].includeInExport = true
        case "questionnaire.problem.empty_section": q.sections[1].items = []
        default: break
        }
        return q
    }

    @Test(
        "every broken part is named",
        arguments: [
            "questionnaire.problem.code", "questionnaire.problem.text", "questionnaire.problem.sections", "questionnaire.problem.item_code",
            "questionnaire.problem.section_code", "questionnaire.problem.options", "questionnaire.problem.option_values",
            "questionnaire.problem.range", "questionnaire.problem.threshold", "questionnaire.problem.export", "questionnaire.problem.empty_section",
        ])
    func problems(_ key: String) {
        #expect(Self.broken(key).problems().map(\.key).contains(key))
    }

    @Test("a draft may be empty while it is built, but is not answerable")
    func draft() {
        let empty = Q(code: "new", title: .init(nl: "Nieuw", en: "New"), sections: [])
        #expect(empty.problems(draft: true).isEmpty && !empty.problems().isEmpty && !empty.isAnswerable)
        #expect(Self.sample().isAnswerable)
    }

    @Test("an oversized or malformed document is refused before use")
    func refusesBadJSON() {
        #expect(throws: (any Error).self) { try Q.decode(Data(repeating: 32, count: Q.maxJSONBytes + 1)) }
        #expect(throws: (any Error).self) { try Q.decode(Data("{\"code\": [[[[".utf8)) }
        #expect(throws: (any Error).self) {
            try Q.decode(
                Data(
                    "{\"code\":\"x\",\"title\":{\"nl\":\"a\",\"en\":\"b\"},\"sections\":[{\"code\":\"s\",\"title\":{\"nl\":\"a\",\"en\":\"b\"},\"items\":[{\"code\":\"i\",\"kind\":\"slider\",\"text\":{\"nl\":\"a\",\"en\":\"b\"},\"required\":true}]}]}"
                        .utf8))
        }
    }

    @Test(
        "answers are checked per kind",
        arguments: [
            (0, 0, [String](), AnswerCheck.invalid("questionnaire.error.required")),
            (0, 0, ["2"], .value("2")),
            (0, 0, ["7"], .invalid("questionnaire.error.choice")),
            (0, 0, ["1", "2"], .invalid("questionnaire.error.choice")),
            (0, 2, [""], .empty),
            (0, 2, ["8"], .value("8")),
            (0, 2, ["25"], .invalid("questionnaire.error.number")),
            (0, 2, ["eight"], .invalid("questionnaire.error.number")),
            (1, 0, ["3", "1", "3"], .value("1;3")),
            (1, 0, ["1", "x"], .invalid("questionnaire.error.choice")),
            (1, 1, ["2026-02-29"], .invalid("questionnaire.error.date")),
            (1, 1, ["2028-02-29"], .value("2028-02-29")),
            (1, 1, ["29-02-2028"], .invalid("questionnaire.error.date")),
            (1, 2, ["  my words  "], .value("my words")),
            (1, 2, [String(repeating: "a", count: Q.maxLongText + 1)], .invalid("questionnaire.error.too_long")),
        ])
    func answers(_ section: Int, _ item: Int, _ raw: [String], _ expected: AnswerCheck) {
        #expect(Self.sample().sections[section].items[item].check(raw) == expected)
    }

    @Test("a safety item is crossed at or above its threshold, by any chosen value")
    func safety() {
        let q = Self.sample()
        let dead = q.sections[0].items[1]
        #expect(!dead.crossesSafetyThreshold("1"))
        #expect(dead.crossesSafetyThreshold("2"))
        #expect(dead.crossesSafetyThreshold("3"))
        var multiple = q.sections[1].items[0]
        multiple.safetyThreshold = 3
        #expect(multiple.crossesSafetyThreshold("0;3"))
        #expect(!multiple.crossesSafetyThreshold("0;1"))
        #expect(!q.sections[0].items[0].crossesSafetyThreshold("3"))
    }

    @Test("free text is left out of exports unless the researcher includes it")
    func export() {
        var words = Self.sample().sections[1].items[2]
        #expect(!words.isExported)
        words.includeInExport = true
        #expect(words.isExported)
        #expect(Self.sample().sections[0].items[0].isExported)
    }

    @Test("waves fall on the calendar in the member's zone, across daylight saving and month ends")
    func timing() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Amsterdam"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 9) -> Date { calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h))! }
        let threeDays = WaveTiming(months: 0, days: 3, windowDays: 14, reminderDays: 7)
        // 2026-10-25 is the night the clocks go back: still 09:00 three days on.
        #expect(threeDays.due(after: at(2026, 10, 23), in: zone) == at(2026, 10, 26))
        #expect(threeDays.closes(after: at(2026, 10, 23), in: zone) == at(2026, 11, 9))
        #expect(threeDays.reminder(after: at(2026, 10, 23), in: zone) == at(2026, 11, 2))
        let threeMonths = WaveTiming(months: 3, days: 0, windowDays: 14, reminderDays: nil)
        #expect(threeMonths.due(after: at(2026, 11, 30), in: zone) == at(2027, 2, 28))
        #expect(threeMonths.reminder(after: at(2026, 11, 30), in: zone) == nil)
        #expect(!WaveTiming(months: 0, days: 0, windowDays: 7, reminderDays: 7).isValid)
        #expect(WaveTiming(months: 6, days: 0, windowDays: 14, reminderDays: 7).isValid)
    }
}
