/// What search stores and looks for: every word as its stems (Dutch by `DutchStemmer`, and a
/// light English one), so "slaap", "sliep" and "slapen" find each other, and "sleeping" finds
/// "slept", the same way on SQLite and on PostgreSQL. Both databases only match the terms made
/// here; neither stems on its own.
public enum SearchText {
    /// At most this many words of a query count.
    public static let maximumQueryWords = 8

    /// Lower-cased words of letters and digits.
    public static func words(in text: String) -> [Substring] {
        text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) })
    }

    /// A word's search terms: its Dutch stem, and its English stem when that differs. Only
    /// ASCII letters and digits, so a term is never syntax in either database's query language.
    public static func terms(of word: some StringProtocol) -> [String] {
        let dutch = DutchStemmer.stem(String(word))
        let english = EnglishStemmer.stem(DutchStemmer.fold(String(word)))
        return Array(Set([dutch, english].map(ascii).filter { !$0.isEmpty })).sorted()
    }

    /// The indexed shadow of a text: its terms, separated by spaces.
    public static func shadow(of text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for word in words(in: text) {
            for term in terms(of: word) {
                if !out.isEmpty { out += " " }
                out += term
            }
        }
        return out
    }

    /// A query as groups of terms: a result holds every group, and of a group any term, as the
    /// start of a word ("werk" finds "werkgever").
    public static func query(_ text: String) -> [[String]] {
        var seen = Set<[String]>()
        var groups = [[String]]()
        for word in words(in: text) {
            let group = terms(of: word)
            if !group.isEmpty, seen.insert(group).inserted { groups.append(group) }
            if groups.count == maximumQueryWords { break }
        }
        return groups
    }

    /// The readable text of cooked HTML: tags out, entities back, blocks apart by a space.
    /// Snippets are made from this, so they never show Markdown or HTML syntax.
    public static func plain(html: String) -> String {
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var tag: String?
        var entity: String?
        func space() { if !out.isEmpty && out.last != " " { out += " " } }
        for ch in html {
            if var name = tag {
                if ch == ">" {
                    // Blocks (paragraphs, list items, quotes, line breaks) stand apart; inline tags join.
                    let bare = name.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
                    if blockTags.contains(bare) { space() }
                    tag = nil
                } else {
                    if name.count < 12 { name.append(ch) }
                    tag = name
                }
                continue
            }
            if var name = entity {
                if ch == ";" {
                    out += decode(name)
                    entity = nil
                } else if name.count < 10, ch.isLetter || ch.isNumber || ch == "#" {
                    name.append(ch)
                    entity = name
                } else {
                    out += "&" + name
                    entity = nil
                    out.append(ch)
                }
                continue
            }
            switch ch {
            case "<": tag = ""
            case "&": entity = ""
            case "\n", "\t", "\r": space()
            default: out.append(ch)
            }
        }
        if let name = entity { out += "&" + name }
        return out.trimmingTrailingSpaces
    }

    private static let blockTags: Set<String> = ["p", "br", "li", "ul", "ol", "blockquote", "pre", "hr", "h2", "h3", "h4", "div"]

    /// About `length` words of the text around its first match, with every matching word
    /// between the markers `open` and `close` (the caller escapes the rest and turns the
    /// markers into <mark>). Starts at the text's beginning when nothing matches.
    public static func snippet(_ text: String, query: [[String]], length: Int = 30, open: String, close: String) -> String {
        let wanted = Set(query.flatMap { $0 })
        let tokens = tokenise(text)
        // Each distinct word is stemmed once: a long post repeats its words many times.
        var known = [Substring: Bool]()
        let isMatch = { (word: Substring) -> Bool in
            if let seen = known[word] { return seen }
            let match = terms(of: word.lowercased()).contains { term in wanted.contains { term.hasPrefix($0) } }
            known[word] = match
            return match
        }
        var wordIndex = [Int]()  // token index of each word
        for (i, token) in tokens.enumerated() where token.isWord { wordIndex.append(i) }
        let first = wordIndex.firstIndex { isMatch(tokens[$0].text) } ?? 0
        let startWord = max(0, first - length / 4)
        let endWord = min(wordIndex.count, startWord + length)
        guard startWord < endWord else { return String(text.prefix(200)) }
        let from = startWord == 0 ? 0 : wordIndex[startWord]
        let to = endWord == wordIndex.count ? tokens.count : wordIndex[endWord]
        var out = startWord > 0 ? "… " : ""
        for token in tokens[from..<to] {
            out += token.isWord && isMatch(token.text) ? open + token.text + close : String(token.text)
        }
        if endWord < wordIndex.count { out = out.trimmingTrailingSpaces + " …" }
        return out
    }

    private struct Token {
        let text: Substring
        let isWord: Bool
    }

    /// Words and what lies between them, in order, so a snippet keeps the text as written.
    private static func tokenise(_ text: String) -> [Token] {
        var tokens = [Token]()
        var start = text.startIndex
        var inWord: Bool?
        for index in text.indices {
            let isWord = text[index].isLetter || text[index].isNumber
            if inWord != nil && inWord != isWord {
                tokens.append(Token(text: text[start..<index], isWord: inWord!))
                start = index
            }
            inWord = isWord
        }
        if let inWord, start < text.endIndex { tokens.append(Token(text: text[start...], isWord: inWord)) }
        return tokens
    }

    private static func ascii(_ term: String) -> String {
        String(term.unicodeScalars.filter { ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) }.map(Character.init))
    }

    private static func decode(_ name: String) -> String {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos", "#39", "#x27": return "'"
        case "nbsp": return " "
        default:
            if name.hasPrefix("#x"), let value = UInt32(name.dropFirst(2), radix: 16), let scalar = Unicode.Scalar(value) { return String(scalar) }
            if name.hasPrefix("#"), let value = UInt32(name.dropFirst()), let scalar = Unicode.Scalar(value) { return String(scalar) }
            return "&\(name);"
        }
    }
}

/// A light English stemmer (the first step of Porter's): plurals, -ed, -ing and -ly, enough
/// for "sleeping", "sleeps" and "slept" (by `DutchStemmer.irregular`) to meet "sleep".
public enum EnglishStemmer {
    public static func stem(_ word: String) -> String {
        var w = word
        if let base = DutchStemmer.irregular[w], base.allSatisfy({ $0.isASCII }) { w = base }
        guard w.count > 3 else { return w }
        if w.hasSuffix("sses") {
            w.removeLast(2)
        } else if w.hasSuffix("ies") {
            w.removeLast(3)
            w += "y"
        } else if w.hasSuffix("s"), !w.hasSuffix("ss"), !w.hasSuffix("us"), !w.hasSuffix("is") {
            w.removeLast()
        }
        for suffix in ["ingly", "edly", "ing", "ed", "ly"] where w.hasSuffix(suffix) {
            let base = String(w.dropLast(suffix.count))
            guard base.count >= 3, base.contains(where: { "aeiouy".contains($0) }) else { break }
            w = base
            // "hoping" → "hope" is not worth the guesswork; "stopped" → "stop" is.
            if let last = w.last, w.count >= 2, w[w.index(before: w.endIndex)] == w[w.index(w.endIndex, offsetBy: -2)],
                !"lsz".contains(last)
            {
                w.removeLast()
            }
            break
        }
        if w.hasSuffix("y"), w.count > 3 {
            w.removeLast()
            w += "i"
        }
        return w
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
