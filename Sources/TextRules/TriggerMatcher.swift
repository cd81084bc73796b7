import Foundation

/// Finds every trigger pattern in a text in one pass (an Aho–Corasick automaton over the
/// normalised text), built once per change of the rules.
///
/// A pattern is a word ("dood"), a phrase ("wil niet meer leven") or a word start with a
/// wildcard ("zelfmoord*"). Patterns and text are normalised alike (`TextNormaliser`), and a
/// pattern is matched with spaces around it, so "dood" never hits "doodgewoon" while
/// "dood*" does.
public struct TriggerMatcher: Sendable {
    public struct Match: Sendable, Equatable {
        /// The index of the pattern in the list the matcher was built from.
        public let pattern: Int
        /// Where in the original text (a range of UTF-8 byte offsets).
        public let start: Int
        public let end: Int
    }

    /// Normalised text holds a–z, 0–9 and space: 37 symbols.
    private static let symbols = 37
    private static func symbol(_ byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): 26 + Int(byte - UInt8(ascii: "0"))
        default: 36
        }
    }
    private static let symbolTable: [Int32] = (0..<256).map { Int32(symbol(UInt8($0))) }

    /// The full transition table: state × symbol → next state.
    private let next: [Int32]
    /// Patterns ending at each state (its own and those reached through failure links).
    private let outputs: [[Int32]]
    /// Whether a state has any output: checked per byte without touching the nested arrays.
    private let hasOutput: [Bool]
    /// The normalised length of each pattern, to find where a match starts.
    private let lengths: [Int]
    public let patternCount: Int

    /// `patterns` as admins write them; an empty or unusable pattern never matches.
    public init(patterns: [String]) {
        var goto: [[Int32]] = [Array(repeating: -1, count: Self.symbols)]
        var outs: [[Int32]] = [[]]
        var lengths: [Int] = []
        for (index, raw) in patterns.enumerated() {
            let keys = Self.key(for: raw)
            lengths.append(keys.count)
            guard keys.count > 2 else { continue }
            var state = 0
            for byte in keys {
                let s = Self.symbol(byte)
                if goto[state][s] == -1 {
                    goto.append(Array(repeating: -1, count: Self.symbols))
                    outs.append([])
                    goto[state][s] = Int32(goto.count - 1)
                }
                state = Int(goto[state][s])
            }
            outs[state].append(Int32(index))
        }
        // Breadth-first: failure links, merged outputs, and a complete transition table.
        var fail = Array(repeating: 0, count: goto.count)
        var table = Array(repeating: Int32(0), count: goto.count * Self.symbols)
        var queue: [Int] = []
        for s in 0..<Self.symbols {
            let child = goto[0][s]
            if child == -1 {
                table[s] = 0
            } else {
                table[s] = child
                fail[Int(child)] = 0
                queue.append(Int(child))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            outs[state] += outs[fail[state]]
            for s in 0..<Self.symbols {
                let child = goto[state][s]
                if child == -1 {
                    table[state * Self.symbols + s] = table[fail[state] * Self.symbols + s]
                } else {
                    table[state * Self.symbols + s] = child
                    fail[Int(child)] = Int(table[fail[state] * Self.symbols + s])
                    queue.append(Int(child))
                }
            }
        }
        self.next = table
        self.outputs = outs
        self.hasOutput = outs.map { !$0.isEmpty }
        self.lengths = lengths
        self.patternCount = patterns.count
    }

    /// The normalised form a pattern is searched as: " words " or, with a trailing `*`, " words".
    public static func key(for pattern: String) -> [UInt8] {
        let trimmed = pattern.trimmingCharacters(in: .whitespacesAndNewlines)
        let wildcard = trimmed.hasSuffix("*")
        let body = wildcard ? String(trimmed.dropLast()) : trimmed
        var bytes = TextNormaliser.normalise(body).bytes
        if wildcard, bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        return bytes
    }

    /// A match mapped back to the original text, skipping the spaces that mark word edges.
    private func match(pattern: Int, endingAt position: Int, in normalised: NormalisedText) -> Match {
        let bytes = normalised.bytes
        let length = lengths[pattern]
        var first = position - length + 1
        if bytes[first] == UInt8(ascii: " ") { first += 1 }
        var last = position
        if bytes[last] == UInt8(ascii: " ") && last > first { last -= 1 }
        let start = normalised.origins[first]
        // One past the last character's first byte: callers extend over its continuation bytes.
        let end = normalised.origins[last] + 1
        return Match(pattern: pattern, start: start, end: max(start, end))
    }

    /// Each match as (pattern, offset in the normalised bytes of its last byte), in order:
    /// for callers that work on the normalised words themselves.
    public func endings(in normalised: NormalisedText) -> [(pattern: Int, end: Int)] {
        var found: [(pattern: Int, end: Int)] = []
        var state = 0
        let symbols = Self.symbols
        let symbolTable = Self.symbolTable
        next.withUnsafeBufferPointer { table in
            symbolTable.withUnsafeBufferPointer { symbolOf in
                hasOutput.withUnsafeBufferPointer { hasOutput in
                    normalised.bytes.withUnsafeBufferPointer { text in
                        for position in 0..<text.count {
                            state = Int(table[state &* symbols &+ Int(symbolOf[Int(text[position])])])
                            if !hasOutput[state] { continue }
                            for pattern in outputs[state] { found.append((Int(pattern), position)) }
                        }
                    }
                }
            }
        }
        return found
    }

    /// Every match in the text, in order of where it ends.
    public func matches(in text: String) -> [Match] {
        matches(in: TextNormaliser.normalise(text))
    }

    public func matches(in normalised: NormalisedText) -> [Match] {
        var found: [Match] = []
        var state = 0
        let bytes = normalised.bytes
        let symbols = Self.symbols
        let symbolTable = Self.symbolTable
        next.withUnsafeBufferPointer { table in
            symbolTable.withUnsafeBufferPointer { symbolOf in
                hasOutput.withUnsafeBufferPointer { hasOutput in
                    bytes.withUnsafeBufferPointer { text in
                        for position in 0..<text.count {
                            state = Int(table[state &* symbols &+ Int(symbolOf[Int(text[position])])])
                            if !hasOutput[state] { continue }
                            for pattern in outputs[state] {
                                found.append(match(pattern: Int(pattern), endingAt: position, in: normalised))
                            }
                        }
                    }
                }
            }
        }
        return found
    }
}
