/// Finds who a post speaks to: @mentions of pseudonyms, and authors of quoted passages.
public enum Mentions {
    /// At most this many people can be notified from one post: more is a broadcast, not a mention.
    public static let maximum = 10

    /// The names after "@" (letters, digits, dots, dashes, underscores), in order, without
    /// duplicates. A trailing dot or dash ends a sentence rather than the name. Text in code
    /// spans and quoted lines is skipped: quoting someone's mention does not mention again.
    public static func names(in markdown: String) -> [String] {
        var found: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix(">") {
            var inCode = false
            var current: String? = nil
            var previous: Character = " "
            func finish() {
                if var name = current {
                    while let last = name.last, last == "." || last == "-" || last == "_" { name.removeLast() }
                    if name.count >= 2 && !found.contains(where: { $0.lowercased() == name.lowercased() }) { found.append(name) }
                }
                current = nil
            }
            for ch in line {
                if ch == "`" {
                    finish()
                    inCode.toggle()
                    previous = ch
                    continue
                }
                if inCode {
                    previous = ch
                    continue
                }
                if current != nil {
                    if ch.isLetter || ch.isNumber || ch == "." || ch == "-" || ch == "_" {
                        current!.append(ch)
                        if current!.count > 30 { current = nil }
                    } else {
                        finish()
                    }
                } else if ch == "@" && !(previous.isLetter || previous.isNumber) {
                    // "@" after a letter is an email address, not a mention.
                    current = ""
                }
                previous = ch
            }
            finish()
            if found.count >= maximum { break }
        }
        return Array(found.prefix(maximum))
    }

    /// The names in quote introductions ("**Anna** wrote:" / "**Anna** schreef:") that the
    /// reply form writes above a quoted passage.
    public static func quotedNames(in markdown: String) -> [String] {
        var found: [String] = []
        for line in markdown.split(separator: "\n") where line.hasPrefix("**") {
            let rest = line.dropFirst(2)
            guard let end = rest.range(of: "** ") else { continue }
            let after = rest[end.upperBound...].trimmingCharacters(in: .whitespaces)
            guard after == "wrote:" || after == "schreef:" else { continue }
            let name = String(rest[..<end.lowerBound])
            if !name.isEmpty, !found.contains(name) { found.append(name) }
        }
        return Array(found.prefix(maximum))
    }
}
