import Foundation

/// A trigger rule's pattern in the rule language the moderators maintain. It reads like the
/// words it looks for, with a few signs:
///
/// | written | means |
/// |---|---|
/// | `wil niet meer leven` | these words, next to each other, in this order |
/// | `snijd*` | a word that starts with "snijd" (snijden, snijdt, snijdde) |
/// | `(pil*\|tablet*\|slaapmiddel*)` | one of these (an alternative may be several words) |
/// | `[echt]`, `[niet\|nooit]` | optional: may be there or not |
/// | `wil ... leven` | in this order, with other words in between allowed |
/// | `(pil*\|tablet*) & klaar` | all of these, in any order |
/// | `/6` at the end | the whole match spans at most 6 words (default 8) |
///
/// A match never crosses the end of a sentence. Words are compared after normalisation
/// (`TextNormaliser`): case, diacritics, repeated letters and digits-for-letters do not matter.
/// Exceptions are patterns too (see `TriggerRuleSet`).
public struct TriggerPattern: Sendable, Equatable {
    /// One normalised word of a pattern; `stem` when it ended in `*`.
    public struct Word: Sendable, Equatable {
        public let bytes: [UInt8]
        public let stem: Bool

        public var text: String { String(decoding: bytes, as: UTF8.self) + (stem ? "*" : "") }
    }

    /// One place in a run of words: one of the alternatives (each one or more words), or nothing
    /// when optional.
    public struct Item: Sendable, Equatable {
        public let alternatives: [[Word]]
        public let optional: Bool
    }

    public enum Joiner: Sendable, Equatable {
        /// `a ... b`: parts in order, other words allowed between them.
        case ordered
        /// `a & b`: all parts, in any order.
        case unordered
    }

    /// Runs of adjacent words, joined by `...` or `&`.
    public let parts: [[Item]]
    public let joiner: Joiner
    /// The most words a whole match may span.
    public let window: Int
    /// As written.
    public let source: String

    public static let defaultWindow = 8
    public static let maximumWindow = 40
    /// Exceptions cancel a match when they match this many words from it, or closer.
    public static let exceptionReach = 3

    /// Why a pattern could not be read; `key` names the explanation in the UI strings.
    public enum Problem: String, Error, Sendable, Equatable {
        case empty
        case unbalanced
        case emptyGroup
        case nestedGroup
        case mixedJoiners
        case emptyPart
        case onlyOptional
        case badWindow
        case shortStem
        case tooLong
        /// Every word it needs is a single letter: it would fire nearly everywhere.
        case tooShort

        public var key: String { "triggers.problem.\(rawValue)" }
    }

    /// Reads a pattern; throws the first problem found.
    public static func parse(_ source: String) throws(Problem) -> TriggerPattern {
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= 300 else { throw .tooLong }
        var tokens = tokenize(trimmed)
        var window: Int? = nil
        if let slash = tokens.lastIndex(of: .slash) {
            guard slash == tokens.count - 2, case .word(let number) = tokens[slash + 1], let n = Int(number), n >= 1,
                n <= maximumWindow
            else { throw .badWindow }
            window = n
            tokens.removeLast(2)
        }
        var parts: [[Item]] = [[]]
        var joiner: Joiner? = nil
        var index = 0
        while index < tokens.count {
            switch tokens[index] {
            case .gap, .and:
                let this: Joiner = tokens[index] == .gap ? .ordered : .unordered
                if let joiner, joiner != this { throw .mixedJoiners }
                joiner = this
                guard !parts[parts.count - 1].isEmpty else { throw .emptyPart }
                parts.append([])
                index += 1
            case .open(let optional):
                var alternatives: [[Word]] = [[]]
                index += 1
                var closed = false
                while index < tokens.count {
                    let token = tokens[index]
                    index += 1
                    if token == .close(optional: optional) {
                        closed = true
                        break
                    }
                    switch token {
                    case .bar: alternatives.append([])
                    case .word(let raw): alternatives[alternatives.count - 1] += try words(raw)
                    case .open: throw .nestedGroup
                    default: throw .unbalanced
                    }
                }
                guard closed else { throw .unbalanced }
                guard alternatives.allSatisfy({ !$0.isEmpty }) else { throw .emptyGroup }
                parts[parts.count - 1].append(Item(alternatives: alternatives, optional: optional))
            case .word(let raw):
                for word in try words(raw) { parts[parts.count - 1].append(Item(alternatives: [[word]], optional: false)) }
                index += 1
            case .close, .bar, .slash:
                throw .unbalanced
            }
        }
        guard parts.allSatisfy({ !$0.isEmpty }) else { throw parts.count == 1 ? .empty : .emptyPart }
        guard parts.allSatisfy({ $0.contains { !$0.optional } }) else { throw .onlyOptional }
        let required = parts.flatMap { $0.filter { !$0.optional } }.flatMap { $0.alternatives.joined() }
        guard required.contains(where: { $0.bytes.count >= 2 }) else { throw .tooShort }
        let pattern = TriggerPattern(
            parts: parts, joiner: joiner ?? .ordered, window: window ?? defaultWindow, source: trimmed)
        return pattern
    }

    /// The fewest words a match takes: a long phrase may exceed the window, and still matches.
    public var shortest: Int {
        parts.reduce(0) { total, part in
            total + part.reduce(0) { $0 + ($1.optional ? 0 : $1.alternatives.map(\.count).min() ?? 0) }
        }
    }

    /// The most words a match may take.
    public var span: Int {
        let longest = parts.reduce(0) { total, part in total + part.reduce(0) { $0 + ($1.alternatives.map(\.count).max() ?? 0) } }
        return parts.count == 1 ? longest : max(window, longest)
    }

    private enum Token: Equatable {
        case word(String)
        case open(optional: Bool)
        case close(optional: Bool)
        case bar
        case gap
        case and
        case slash
    }

    private static func tokenize(_ source: String) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        var dots = 0
        func flush() {
            if !word.isEmpty { tokens.append(.word(word)) }
            word = ""
        }
        for char in source {
            if char == "." {
                dots += 1
                if dots == 3 {
                    flush()
                    tokens.append(.gap)
                    dots = 0
                }
                continue
            }
            if dots > 0 {
                word += String(repeating: ".", count: dots)
                dots = 0
            }
            switch char {
            case "…":
                flush()
                tokens.append(.gap)
            case "(", "[":
                flush()
                tokens.append(.open(optional: char == "["))
            case ")", "]":
                flush()
                tokens.append(.close(optional: char == "]"))
            case "|":
                flush()
                tokens.append(.bar)
            case "&":
                flush()
                tokens.append(.and)
            case "/":
                flush()
                tokens.append(.slash)
            default:
                if char.isWhitespace { flush() } else { word.append(char) }
            }
        }
        flush()
        return tokens
    }

    /// A written word as normalised words ("zelf-moord" is one, "e.g." two); a trailing `*`
    /// makes the last one a stem.
    private static func words(_ raw: String) throws(Problem) -> [Word] {
        let stem = raw.hasSuffix("*")
        let body = raw.replacingOccurrences(of: "*", with: "")
        let pieces = TextNormaliser.normalise(body).text.split(separator: " ").map { Array($0.utf8) }
        return try pieces.enumerated().map { (offset, bytes) throws(Problem) in
            let isStem = stem && offset == pieces.count - 1
            if isStem && bytes.count < 3 { throw .shortStem }
            return Word(bytes: bytes, stem: isStem)
        }
    }
}
