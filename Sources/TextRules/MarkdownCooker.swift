import Foundation
import Ink

/// Turns what a person typed into safe HTML, once, when it is saved.
///
/// Raw HTML is escaped before Ink sees it, so every tag in Ink's output is one Ink made, and
/// shapes that make Ink slow or deep are shown as typed instead (`InkInput`), so any text
/// cooks in time linear in its length. The output is then rebuilt tag by tag from an
/// allow-list: attributes are dropped except a link's href, which must be http(s) or mailto,
/// and links get rel="nofollow noopener ugc".
public struct MarkdownCooker: Sendable {
    public init() {}

    private static let allowedTags: Set<String> = [
        "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a", "code", "pre", "hr",
        "h2", "h3", "h4",
    ]

    /// Renders Markdown to sanitised HTML.
    public func cook(_ markdown: String) -> String {
        // Foundation's replacing is slow on non-ASCII text (20 ms for 180 KB of accents).
        let normalised =
            !markdown.utf8.contains(UInt8(ascii: "\r"))
            ? markdown
            : markdown.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return Self.sanitise(Self.cookBlocks(Self.escapeRawHTML(normalised), depth: 0))
    }

    /// How deep quotes inside quotes keep their own shape; deeper ones are left to Ink.
    static let quoteDepth = 4

    /// Ink reads a block quote as one flat paragraph ("> a\n>\n> - b" became "<p>a - b</p>"), so
    /// quotes are taken apart here: each run of quoted lines is cooked on its own, as Markdown,
    /// inside a `<blockquote>`, and keeps its paragraphs and lists. Fenced code is left alone.
    static func cookBlocks(_ text: String, depth: Int) -> String {
        guard depth < quoteDepth, text.utf8.contains(UInt8(ascii: ">")) else { return cookPlain(text) }
        var html = ""
        var plain = [Substring]()
        var quoted = [Substring]()
        var fence: Substring?
        func flushPlain() {
            if plain.contains(where: { !$0.allSatisfy(\.isWhitespace) }) { html += cookPlain(plain.joined(separator: "\n")) }
            plain.removeAll()
        }
        func flushQuote() {
            guard !quoted.isEmpty else { return }
            html += "<blockquote>" + cookBlocks(quoted.joined(separator: "\n"), depth: depth + 1) + "</blockquote>"
            quoted.removeAll()
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix(while: { $0 == " " }).count
            let body = line.dropFirst(indent)
            if quoted.isEmpty, indent < 4, body.hasPrefix("```") || body.hasPrefix("~~~") {
                let marker = body.prefix(3)
                fence = fence == nil ? marker : (fence == marker ? nil : fence)
            }
            // ">>" runs are left to Ink and `InkInput`, which show long runs as typed.
            if fence == nil, indent < 4, body.first == ">", body.dropFirst().first != ">" {
                if quoted.isEmpty { flushPlain() }
                var rest = body.dropFirst()
                if rest.first == " " { rest = rest.dropFirst() }
                quoted.append(rest)
            } else if !quoted.isEmpty, !line.allSatisfy(\.isWhitespace), !(quoted.last?.allSatisfy(\.isWhitespace) ?? true) {
                // A lazy continuation line belongs to the quoted paragraph above it.
                quoted.append(line)
            } else {
                flushQuote()
                plain.append(line)
            }
        }
        flushQuote()
        flushPlain()
        return html
    }

    /// Cooks text without block quotes of its own (or too deep to take apart).
    private static func cookPlain(_ text: String) -> String {
        let input = InkInput(text)
        return input.restore(MarkdownParser().html(from: input.text))
    }

    /// Escapes `<` and `&` so raw HTML is shown as text; `>` stays for block quotes.
    static func escapeRawHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "<": out += "&lt;"
            case "&": out += "&amp;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Rebuilds every tag of Ink's output from the allow-list. Works on UTF-8 bytes: `<` and
    /// `>` are always single bytes, and a combining mark after a `>` cannot hide it.
    static func sanitise(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var openLinks = [Bool]()  // whether each open <a> was kept
        var nextClose = -1  // the first ">" at or after the last "<" seen (bytes.count: none)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                if nextClose < index { nextClose = bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count }
                if nextClose < bytes.count {
                    let inner = String(decoding: bytes[(index + 1)..<nextClose], as: UTF8.self)
                    out += rebuild(tag: inner, openLinks: &openLinks).utf8
                    index = nextClose + 1
                    continue
                }
                out += "&lt;".utf8
            case UInt8(ascii: ">"):
                out += "&gt;".utf8
            case let byte:
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func rebuild(tag inner: String, openLinks: inout [Bool]) -> String {
        var body = inner.trimmingCharacters(in: .whitespaces)
        let closing = body.hasPrefix("/")
        if closing { body.removeFirst() }
        if body.hasSuffix("/") { body.removeLast() }
        let name = String(body.prefix { $0.isLetter || $0.isNumber }).lowercased()
        let mapped: String
        switch name {
        case "h1": mapped = "h2"  // the page owns the only h1
        case "h5", "h6": mapped = "h4"
        case "b": mapped = "strong"
        case "i": mapped = "em"
        default: mapped = name
        }
        guard allowedTags.contains(mapped) else { return "" }
        if mapped == "a" {
            if closing {
                return (openLinks.popLast() ?? false) ? "</a>" : ""
            }
            guard let href = attributeValue("href", in: body), let safe = safeURL(href) else {
                openLinks.append(false)
                return ""
            }
            openLinks.append(true)
            return "<a href=\"\(HTMLEscaping.attribute(safe))\" rel=\"nofollow noopener ugc\">"
        }
        if closing { return "</\(mapped)>" }
        if mapped == "br" || mapped == "hr" { return "<\(mapped)>" }
        return "<\(mapped)>"
    }

    /// Reads a double-quoted attribute value as Ink writes it.
    private static func attributeValue(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: "\(name)=\"") else { return nil }
        let rest = tag[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// Only http, https, mailto and tel links and paths on this site ("/help") survive; anything
    /// else (javascript:, data:, protocol-relative "//host", control characters) is dropped.
    static func safeURL(_ raw: String) -> String? {
        let decoded = raw.replacingOccurrences(of: "&amp;", with: "&")
        let trimmed = decoded.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return nil }
        if trimmed.hasPrefix("/") {
            guard !trimmed.hasPrefix("//"), !trimmed.contains("\\") else { return nil }
            return trimmed
        }
        let lower = trimmed.lowercased()
        // A phone number to call from a phone (the crisis lines): digits, "+" and "-" only.
        if lower.hasPrefix("tel:") {
            let number = trimmed.dropFirst(4)
            guard !number.isEmpty, number.count <= 20, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "-") }) else {
                return nil
            }
            return trimmed
        }
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") else {
            return nil
        }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
            ["http", "https", "mailto"].contains(scheme)
        else { return nil }
        if scheme != "mailto", (url.host ?? "").isEmpty { return nil }
        return trimmed
    }
}
