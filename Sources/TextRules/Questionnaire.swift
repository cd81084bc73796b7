import Foundation

/// A questionnaire as researchers write it: sections of items, every text in Dutch and
/// English. Stored and exchanged as JSON (import and export use this very shape), checked by
/// `problems()` before it is saved, and frozen once the first answer exists.
public struct QuestionnaireDefinition: Codable, Equatable, Sendable {
    public var code: String
    public var title: Bilingual
    public var intro: Bilingual?
    public var sections: [Section]

    public init(code: String, title: Bilingual, intro: Bilingual? = nil, sections: [Section]) {
        self.code = code
        self.title = title
        self.intro = intro
        self.sections = sections
    }

    public struct Bilingual: Codable, Equatable, Sendable {
        public var nl: String
        public var en: String
        public init(nl: String, en: String) {
            self.nl = nl
            self.en = en
        }
        public func text(dutch: Bool) -> String { dutch ? nl : en }
    }

    public struct Section: Codable, Equatable, Sendable {
        public var code: String
        public var title: Bilingual
        public var items: [Item]
        public init(code: String, title: Bilingual, items: [Item]) {
            self.code = code
            self.title = title
            self.items = items
        }
    }

    public enum ItemKind: String, Codable, CaseIterable, Sendable {
        case likert
        case single
        case multiple
        case number
        case date
        case shortText = "short_text"
        case longText = "long_text"

        /// Kinds whose answers are chosen from the item's options.
        public var hasOptions: Bool { self == .likert || self == .single || self == .multiple }
        /// Kinds a member writes in their own words: left out of exports unless the researcher
        /// marks the item "include in export".
        public var isFreeText: Bool { self == .shortText || self == .longText }
        /// Kinds that can carry a safety threshold (a number to compare with).
        public var isScored: Bool { self == .likert || self == .single || self == .multiple || self == .number }
    }

    public struct Option: Codable, Equatable, Sendable {
        public var value: Int
        public var label: Bilingual
        public init(value: Int, label: Bilingual) {
            self.value = value
            self.label = label
        }
    }

    public struct Item: Codable, Equatable, Sendable {
        public var code: String
        public var kind: ItemKind
        public var text: Bilingual
        public var required: Bool
        public var options: [Option]?
        public var min: Int?
        public var max: Int?
        /// An answer at or above this value shows the crisis help at once and asks a moderator
        /// to look in on the member.
        public var safetyThreshold: Int?
        /// For free-text items: the researcher chose to export the words (a warning is shown).
        public var includeInExport: Bool?

        public init(
            code: String, kind: ItemKind, text: Bilingual, required: Bool = true, options: [Option]? = nil, min: Int? = nil,
            max: Int? = nil, safetyThreshold: Int? = nil, includeInExport: Bool? = nil
        ) {
            self.code = code
            self.kind = kind
            self.text = text
            self.required = required
            self.options = options
            self.min = min
            self.max = max
            self.safetyThreshold = safetyThreshold
            self.includeInExport = includeInExport
        }

        /// Whether the export carries this item's answers.
        public var isExported: Bool { !kind.isFreeText || includeInExport == true }
    }

    public var items: [Item] { sections.flatMap(\.items) }

    // MARK: Limits and checks

    public static let maxSections = 20
    public static let maxItems = 200
    public static let maxOptions = 15
    public static let maxJSONBytes = 128 * 1024
    public static let maxShortText = 200
    public static let maxLongText = 4_000

    /// Codes are short, lower-case and safe in a CSV header: `mood_1`, `empowerment-3`.
    public static func isValidCode(_ code: String) -> Bool {
        (1...40).contains(code.count) && code.first?.isLetter == true
            && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// Whether members can answer it: at least one section, and no empty section.
    public var isAnswerable: Bool { !sections.isEmpty && sections.allSatisfy { !$0.items.isEmpty } }

    /// What is wrong, as message keys with the place they concern; empty when it can be saved.
    /// A draft (being built in the browser) may still have no sections, or a section without
    /// items; members are invited to it only once it `isAnswerable`.
    public func problems(draft: Bool = false) -> [Problem] {
        var found = [Problem]()
        func check(_ ok: Bool, _ key: String, _ place: String) { if !ok { found.append(Problem(key: key, place: place)) } }
        func bilingual(_ text: Bilingual, _ place: String, limit: Int = 1_000) {
            for value in [text.nl, text.en] {
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                check(!trimmed.isEmpty && value.count <= limit, "questionnaire.problem.text", place)
            }
        }
        check(Self.isValidCode(code), "questionnaire.problem.code", "questionnaire")
        bilingual(title, "questionnaire", limit: 200)
        if let intro { bilingual(intro, "questionnaire", limit: 2_000) }
        check((draft || !sections.isEmpty) && sections.count <= Self.maxSections, "questionnaire.problem.sections", "questionnaire")
        check(items.count <= Self.maxItems, "questionnaire.problem.items", "questionnaire")
        var codes = Set<String>()
        var sectionCodes = Set<String>()
        for section in sections {
            check(Self.isValidCode(section.code) && sectionCodes.insert(section.code).inserted, "questionnaire.problem.section_code", section.code)
            bilingual(section.title, section.code, limit: 200)
            check(draft || !section.items.isEmpty, "questionnaire.problem.empty_section", section.code)
            for item in section.items {
                check(Self.isValidCode(item.code) && codes.insert(item.code).inserted, "questionnaire.problem.item_code", item.code)
                bilingual(item.text, item.code)
                let options = item.options ?? []
                if item.kind.hasOptions {
                    check((2...Self.maxOptions).contains(options.count), "questionnaire.problem.options", item.code)
                    check(Set(options.map(\.value)).count == options.count, "questionnaire.problem.option_values", item.code)
                    for option in options { bilingual(option.label, item.code, limit: 200) }
                } else {
                    check(options.isEmpty, "questionnaire.problem.no_options", item.code)
                }
                if item.kind == .number {
                    check(item.min != nil && item.max != nil && item.min! < item.max!, "questionnaire.problem.range", item.code)
                }
                if item.safetyThreshold != nil { check(item.kind.isScored, "questionnaire.problem.threshold", item.code) }
                if item.includeInExport == true { check(item.kind.isFreeText, "questionnaire.problem.export", item.code) }
            }
        }
        return found
    }

    public struct Problem: Equatable, Sendable {
        public let key: String
        public let place: String
    }

    /// Reads a questionnaire from JSON, refusing oversized documents before parsing them.
    public static func decode(_ data: Data) throws -> QuestionnaireDefinition {
        guard data.count <= maxJSONBytes else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "too large")) }
        return try JSONDecoder().decode(QuestionnaireDefinition.self, from: data)
    }

    /// JSON with sorted keys, so an export is stable and diffs read well.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// One answer checked against its item: the stored form, or why it cannot be kept.
public enum AnswerCheck: Equatable, Sendable {
    /// Nothing given for an optional item.
    case empty
    case value(String)
    /// A message key: what the member should change.
    case invalid(String)
}

extension QuestionnaireDefinition.Item {
    /// Checks what the form sent for this item (several values for multiple choice). Values are
    /// stored as text: option values and numbers as digits, several choices as "1;3", a date as
    /// YYYY-MM-DD, words as typed (trimmed).
    public func check(_ raw: [String]) -> AnswerCheck {
        let given = raw.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard !given.isEmpty else { return required ? .invalid("questionnaire.error.required") : .empty }
        switch kind {
        case .likert, .single:
            guard given.count == 1, let value = Int(given[0]), (options ?? []).contains(where: { $0.value == value }) else {
                return .invalid("questionnaire.error.choice")
            }
            return .value(String(value))
        case .multiple:
            let values = given.compactMap(Int.init)
            let allowed = Set((options ?? []).map(\.value))
            guard values.count == given.count, Set(values).isSubset(of: allowed) else { return .invalid("questionnaire.error.choice") }
            return .value(Array(Set(values)).sorted().map(String.init).joined(separator: ";"))
        case .number:
            guard given.count == 1, let value = Int(given[0]), value >= (min ?? Int.min), value <= (max ?? Int.max) else {
                return .invalid("questionnaire.error.number")
            }
            return .value(String(value))
        case .date:
            guard given.count == 1, Self.isDay(given[0]) else { return .invalid("questionnaire.error.date") }
            return .value(given[0])
        case .shortText, .longText:
            let limit = kind == .shortText ? QuestionnaireDefinition.maxShortText : QuestionnaireDefinition.maxLongText
            guard given.count == 1, given[0].count <= limit else { return .invalid("questionnaire.error.too_long") }
            return .value(given[0])
        }
    }

    /// Whether a stored answer reaches the safety threshold: any chosen value at or above it.
    public func crossesSafetyThreshold(_ stored: String) -> Bool {
        guard let threshold = safetyThreshold, kind.isScored else { return false }
        return stored.split(separator: ";").contains { Int($0).map { $0 >= threshold } ?? false }
    }

    private static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1900...2200).contains(year), (1...12).contains(month)
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return false }
        return days.contains(day)
    }
}
