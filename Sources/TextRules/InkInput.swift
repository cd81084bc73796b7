/// The text handed to Ink, with every shape that makes Ink slow, deep or crash swapped for a
/// private placeholder, and the way back.
///
/// Why: Ink 0.6.0 parses by recursive descent with backtracking. Each `[` starts a link whose
/// text is parsed (recursively) up to a `]`; when the link then fails, that text is parsed
/// again as plain text, so nested brackets cost 2^depth and a stack frame each (9,000 `[`
/// overflow the stack; 40 never finish). Other shapes are quadratic or worse: a `(` after `]`
/// scans to the end of its line for a `)`; a table renders rows × the widest row's cells; a
/// list nests one level per extra space of indentation (200 levels overflow a 512 KiB stack);
/// a Character of many scalars (flags, Zalgo text) is decoded anew at every look, and a look
/// back over a run of flags scans the whole run. And Ink traps (kills the process) when a
/// list or a `---` header reads whitespace up to the end of the text.
///
/// So, in linear passes over the Characters, these get a placeholder each:
/// - a `[` that cannot start a link (no partner `]`, or one not followed by `(…)`, `[…]` or,
///   at a line's start, `: `), and any `[` beyond `maxLinkDepth` open ones;
/// - a `(` right after `]` without its `)` on the same line;
/// - every `|` (Ink's tables; the sanitiser keeps no table tags anyway);
/// - a run of four or more `*`, `_` or `~` (never emphasis: Ink makes empty tags of it), but
///   not a line of `*` alone, which is a rule;
/// - the marker of a list item indented by `maxListIndent` or more;
/// - every Character of more than one scalar (but whitespace and digits, which Ink
///   classifies), and any private-use scalar of planes 15–16 the member typed.
/// Trailing whitespace is dropped. Placeholders are private-use scalars of planes 15–16, one
/// per distinct original; `restore` puts the originals back after Ink, so the member sees what
/// they typed, in code spans too.
///
/// The bracket depth is counted so that Ink's real nesting never exceeds it: a `]` that Ink
/// might not take as the end of a link text (escaped `\]`, inside a code span, inside a URL
/// Ink may be reading) closes nothing, and the count restarts only at a line break that ends
/// every link text for certain.
struct InkInput {
    let text: String
    /// `originals[i]` is what placeholder i stands for, in UTF-8.
    private let originals: [[UInt8]]

    /// Open `[` allowed at once: `[![alt](src)](href)` needs two. Ink's
    /// work on hostile text grows as 2^depth times its length.
    static let maxLinkDepth = 2
    /// Leading whitespace from which a list marker is shown as text (five levels of four spaces).
    static let maxListIndent = 20

    private static let otherSpace: UInt8 = 0x80
    private static let otherBreak: UInt8 = 0x81
    private static let planeStart: UInt32 = 0xF0000
    private static let capacity = 2 * 65_534  // U+F0000–U+FFFFD and U+100000–U+10FFFD

    private static func isPrivatePlane(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= planeStart }

    private static func placeholder(_ index: Int) -> Unicode.Scalar {
        Unicode.Scalar(index < 65_534 ? planeStart + UInt32(index) : 0x100000 + UInt32(index - 65_534))!
    }

    init(_ source: String) {
        var chars = Array(source)
        // Ink traps on "- a\n  " and "---\n\n"; Ink's test is the first scalar, so " \u{301}"
        // counts as whitespace here though it survives trimming scalars.
        while let last = chars.last, last.isWhitespace { chars.removeLast() }
        let (code, complex) = Self.classify(chars)
        let neutral = Self.neutralise(chars, code)

        var out: [UInt8] = []
        out.reserveCapacity(source.utf8.count + 16)
        var originals: [[UInt8]] = []
        var known: [[UInt8]: Int] = [:]  // by bytes: String equality would merge "é" and "e\u{301}"
        for i in chars.indices {
            if code[i] != 0 && code[i] < 0x80 && !neutral[i] {
                out.append(code[i])
                continue
            }
            guard neutral[i] || complex[i] else {
                out += chars[i].utf8
                continue
            }
            let original = Array(chars[i].utf8)
            var index = known[original]
            if index == nil && originals.count < Self.capacity {
                index = originals.count
                originals.append(original)
                known[original] = index
            }
            if let index {
                out += String(Self.placeholder(index)).utf8
            } else if chars[i].unicodeScalars.contains(where: Self.isPrivatePlane) {
                out += "\u{FFFD}".utf8  // out of placeholders: far beyond any form's size
            } else {
                out += original
            }
        }
        self.text = String(decoding: out, as: UTF8.self)
        self.originals = originals
    }

    /// Puts back what each placeholder stands for. Placeholders are the only four-byte UTF-8
    /// sequences from U+F0000 up, which start with F3 B0–BF or F4.
    func restore(_ html: String) -> String {
        guard !originals.isEmpty else { return html }
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if (lead == 0xF3 || lead == 0xF4) && i + 3 < bytes.count && (lead == 0xF4 || bytes[i + 1] >= 0xB0) {
                let value =
                    (UInt32(lead & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                    | (UInt32(bytes[i + 2] & 0x3F) << 6) | UInt32(bytes[i + 3] & 0x3F)
                let index = value >= 0x100000 ? Int(value - 0x100000) + 65_534 : Int(value - Self.planeStart)
                if index < originals.count { out += originals[index] } else { out += "\u{FFFD}".utf8 }
                i += 4
            } else {
                out.append(lead)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One byte per Character: the ASCII value of a single ASCII scalar; `otherBreak` for any
    /// other line break and `otherSpace` for any other whitespace (Ink classifies Characters by
    /// their first scalar); else 0. And whether it needs a placeholder for what it is.
    private static func classify(_ chars: [Character]) -> (code: [UInt8], complex: [Bool]) {
        var code = [UInt8](repeating: 0, count: chars.count)
        var complex = [Bool](repeating: false, count: chars.count)
        for (i, ch) in chars.enumerated() {
            let utf8 = ch.utf8
            if utf8.count == 1 {
                code[i] = utf8.first!
                continue
            }
            let first = ch.unicodeScalars.first!
            let single = UTF8.width(first) == utf8.count
            if ch.isNewline { code[i] = otherBreak } else if ch.isWhitespace { code[i] = otherSpace }
            complex[i] = (!single && code[i] == 0 && !ch.isNumber) || ch.unicodeScalars.contains(where: isPrivatePlane)
        }
        return (code, complex)
    }

    /// Which Characters get a placeholder: `neutral` ones because of where they stand,
    /// `complex` ones because of what they are.
    private static func neutralise(_ chars: [Character], _ code: [UInt8]) -> [Bool] {
        let n = chars.count
        let open = UInt8(ascii: "[")
        let close = UInt8(ascii: "]")
        let paren = UInt8(ascii: "(")
        let tick = UInt8(ascii: "`")
        func isNewline(_ c: UInt8) -> Bool { (c >= 10 && c <= 13) || c == otherBreak }
        func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == otherSpace }
        func escaped(_ i: Int) -> Bool { i > 0 && code[i - 1] == UInt8(ascii: "\\") }
        func atLineStart(_ i: Int) -> Bool {
            var j = i - 1
            while j >= 0 && isBlank(code[j]) { j -= 1 }
            return j < 0 || isNewline(code[j])
        }

        var neutral = [Bool](repeating: false, count: n)
        var inCode = [Bool](repeating: false, count: n)
        var urlEnd = [Int](repeating: -1, count: n)  // for a `(` right after `]`: its `)` on the line
        var nextClose = [Int](repeating: -1, count: n + 1)  // the first `]` at or after i on i's line
        var ticks = [Int](repeating: 0, count: n + 1)  // backticks before i
        for i in 0..<n { ticks[i + 1] = ticks[i] + (code[i] == tick ? 1 : 0) }

        var lineStart = 0
        while lineStart < n {
            var lineEnd = lineStart
            while lineEnd < n && !isNewline(code[lineEnd]) { lineEnd += 1 }
            let line = lineStart..<lineEnd
            // A link's URL is read up to the matching `)` on the line; without one, Ink reads
            // to the line's end for every such `(`.
            var parens: [Int] = []
            for i in line where code[i] == paren || code[i] == UInt8(ascii: ")") {
                if code[i] == paren { parens.append(i) } else if let o = parens.popLast(), o > 0, code[o - 1] == close { urlEnd[o] = i }
            }
            for o in parens where o > 0 && code[o - 1] == close { neutral[o] = true }
            for i in line.reversed() { nextClose[i] = code[i] == close ? i : nextClose[i + 1] }
            // Code spans: an unescaped backtick opens one, the next backtick on the line closes
            // it. A URL or a reference Ink reads over, or a fence, can shift that pairing; then
            // everything between the line's first and last backtick may be code.
            var unsure = false
            var indent = lineStart
            while indent < lineEnd && isBlank(code[indent]) { indent += 1 }
            if indent + 2 < lineEnd && code[indent] == tick && code[indent + 1] == tick && code[indent + 2] == tick { unsure = true }
            for i in line where code[i] == close && i + 2 < lineEnd {
                if code[i + 1] == paren, urlEnd[i + 1] >= 0, ticks[urlEnd[i + 1]] > ticks[i + 2] { unsure = true }
                if code[i + 1] == open, nextClose[i + 2] >= 0, ticks[nextClose[i + 2]] > ticks[i + 2] { unsure = true }
            }
            if unsure {
                var first = -1
                var last = -1
                for i in line where code[i] == tick {
                    if first < 0 { first = i }
                    last = i
                }
                if first >= 0 { for i in first..<last { inCode[i] = true } }
            } else {
                var opened = -1
                for i in line where code[i] == tick {
                    if opened >= 0 {
                        for j in opened..<i { inCode[j] = true }
                        opened = -1
                    } else if !escaped(i) {
                        opened = i
                    }
                }
            }
            // A list nests one level deeper per extra whitespace of indentation.
            if indent - lineStart >= maxListIndent && indent < lineEnd {
                let c = code[indent]
                if ((c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "+")) && indent + 1 < lineEnd && isBlank(code[indent + 1]))
                    || chars[indent].isNumber
                {
                    neutral[indent] = true
                }
            }
            lineStart = lineEnd + 1
        }

        // A line break ends every open link text when it is not a hard break (after `\` or
        // after two spaces, where Ink carries on) and the next line starts a new block.
        func endsLinks(_ i: Int) -> Bool {
            guard code[i] == 10, i > 0, i + 1 < n else { return false }
            let previous = code[i - 1]
            let next = code[i + 1]
            return !isBlank(previous) && !isNewline(previous) && previous != UInt8(ascii: "\\")
                && (next == 10 || next == UInt8(ascii: "#") || next == tick || next == UInt8(ascii: "-"))
        }
        // Walks the brackets as Ink nests them (at most), keeping a `[` when `keep(i, depth)`
        // says so; returns each kept `[`'s partner `]`.
        func nest(_ keep: (_ index: Int, _ depth: Int) -> Bool) -> [Int] {
            var partner = [Int](repeating: -1, count: n)
            var stack: [Int] = []
            var urlUntil = -1  // a `]` before this may be part of a URL Ink reads
            for i in 0..<n {
                if endsLinks(i) { stack.removeAll(keepingCapacity: true) }
                if code[i] == open && !escaped(i) {
                    if keep(i, stack.count) { stack.append(i) }
                } else if code[i] == close {
                    let linkMayEndHere = !stack.isEmpty
                    if !escaped(i) && !inCode[i] && i >= urlUntil, let o = stack.popLast() { partner[o] = i }
                    if linkMayEndHere, i + 1 < n, urlEnd[i + 1] >= 0 { urlUntil = max(urlUntil, urlEnd[i + 1]) }
                }
            }
            return partner
        }
        let partner = nest { _, _ in true }
        // A link is worth Ink's while only if its `]` is followed by what makes it one.
        func canLink(_ o: Int) -> Bool {
            let q = partner[o]
            guard q >= 0 else { return false }
            if o > 0 && code[o - 1] == close { return nextClose[o + 1] >= 0 }  // a reference: [text][ref]
            guard q + 1 < n else { return false }
            switch code[q + 1] {
            case paren: return !neutral[q + 1]
            case open: return q + 2 < n && nextClose[q + 2] >= 0
            case UInt8(ascii: ":"): return atLineStart(o) && q + 2 < n && isBlank(code[q + 2])
            default: return false
            }
        }
        _ = nest { i, depth in
            let keep = depth < maxLinkDepth && canLink(i)
            if !keep { neutral[i] = true }
            return keep
        }

        var i = 0
        while i < n {
            let c = code[i]
            if c == UInt8(ascii: "|") { neutral[i] = true }
            guard c == UInt8(ascii: "*") || c == UInt8(ascii: "_") || c == UInt8(ascii: "~") else {
                i += 1
                continue
            }
            var end = i
            while end < n && code[end] == c { end += 1 }
            let rule = c == UInt8(ascii: "*") && atLineStart(i) && (end == n || isNewline(code[end]))
            if end - i >= 4 && !rule { for k in i..<end { neutral[k] = true } }
            i = end
        }
        return neutral
    }
}
