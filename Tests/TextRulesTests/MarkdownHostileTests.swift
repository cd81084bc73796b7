import Foundation
import Testing

@testable import TextRules

/// Shapes that made Ink hang, overflow its stack or trap, at the full 20,000 characters of a
/// post. The bound is generous for debug builds; a release build cooks each in milliseconds.
@Suite("Hostile Markdown cooks in bounded time and shows what was typed")
struct MarkdownHostileTests {
    struct Shape: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        /// Scalars every occurrence of which must be visible in the output.
        let kept: String
        /// What the output must contain, where the typed characters rightly become markup.
        var contains: String? = nil

        var testDescription: String { name }
    }

    static let size = 20_000

    /// `unit` repeated to exactly `size` characters.
    static func fill(_ unit: String, _ size: Int = size) -> String {
        String(String(repeating: unit, count: size / unit.count + 1).prefix(size))
    }

    static func lines(_ line: (Int) -> String) -> String {
        var text = ""
        var i = 0
        while text.count < size {
            text += line(i) + "\n"
            i += 1
        }
        return String(text.prefix(size))
    }

    static let shapes: [Shape] = [
        Shape(name: "nested brackets", text: String(repeating: "[", count: 9_999) + "x" + String(repeating: "]", count: 10_000), kept: "[]x"),
        Shape(name: "opening brackets only", text: fill("["), kept: "["),
        Shape(name: "nested images", text: String(repeating: "![", count: 6_666) + "x" + String(repeating: "]", count: 6_667), kept: "![]x"),
        Shape(name: "opening images", text: fill("!["), kept: "!["),
        Shape(name: "brackets with escaped closers", text: fill("[\\]"), kept: "[]"),
        Shape(name: "brackets closed inside code", text: fill("[`]`"), kept: "[]"),
        Shape(name: "brackets closed inside URLs", text: fill("[[a](])"), kept: "a"),
        Shape(name: "brackets across lines", text: fill("[a\n"), kept: "[a"),
        Shape(name: "brackets and emphasis", text: fill("[*a"), kept: "[a"),
        Shape(name: "unclosed link URLs", text: fill("[a]("), kept: "[a]("),
        Shape(name: "unclosed image URLs", text: fill("![a]("), kept: "![a]("),
        Shape(name: "unclosed references", text: fill("[a]["), kept: "[a]"),
        Shape(name: "brackets and parens", text: fill("[("), kept: "[("),
        Shape(name: "nested links that work", text: String(repeating: "[", count: 3_000) + "x" + String(repeating: "](/a)", count: 3_000), kept: "x"),
        Shape(name: "links between code spans", text: fill("`a` [x](https://x.org) `b` "), kept: "ab", contains: "<a href=\"https://x.org\""),
        Shape(name: "spaced block quotes", text: fill("> "), kept: "", contains: "<blockquote>"),
        Shape(name: "tight block quotes", text: fill(">"), kept: ">"),
        Shape(name: "block quotes of every depth", text: lines { String(repeating: "> ", count: $0 % 60 + 1) + "a" }, kept: "a"),
        Shape(name: "lists indented ever deeper", text: lines { String(repeating: " ", count: $0) + "- a" }, kept: "a"),
        Shape(name: "ordered lists indented ever deeper", text: lines { String(repeating: " ", count: $0) + "1. a" }, kept: "a"),
        Shape(name: "dashes", text: fill("- "), kept: "", contains: "<ul>"),
        Shape(name: "lines of dashes", text: fill("- - - - - - - - - -\n"), kept: "", contains: "<ul>"),
        Shape(name: "stars", text: fill("*"), kept: "", contains: "<hr>"),
        Shape(name: "underscores", text: fill("_"), kept: "_"),
        Shape(name: "tildes", text: fill("~"), kept: "~"),
        Shape(name: "bold markers", text: fill("**a"), kept: "a"),
        Shape(name: "italic markers", text: fill("*a"), kept: "a"),
        Shape(name: "mixed markers", text: fill("*_**__~~a"), kept: "a"),
        Shape(name: "backticks", text: fill("`"), kept: "", contains: "<pre><code>"),
        Shape(
            name: "backticks of every length",
            text: String((1...2_000).map { String(repeating: "`", count: $0 % 7 + 1) + "a" }.joined().prefix(size)), kept: "a"),
        Shape(name: "code spans", text: fill("`a"), kept: "a"),
        Shape(name: "fences", text: fill("```\n"), kept: "", contains: "<pre><code>"),
        Shape(name: "angle brackets", text: fill("<"), kept: "<"),
        Shape(name: "tags", text: fill("<a "), kept: "<a"),
        Shape(name: "ampersands", text: fill("&"), kept: "&"),
        Shape(name: "hashes", text: fill("#"), kept: "#"),
        Shape(name: "headings", text: fill("# a\n"), kept: "a", contains: "<h2>"),
        Shape(name: "headings with brackets", text: fill("# [a\n"), kept: "[a"),
        Shape(name: "pipes", text: fill("|"), kept: "|"),
        Shape(name: "table rows", text: fill("|a|b|\n"), kept: "|ab"),
        Shape(name: "a table a thousand cells wide", text: String(repeating: "|", count: 10_000) + "\n" + fill("||\n", 9_999), kept: "|"),
        Shape(name: "rules", text: fill("***\n"), kept: "", contains: "<hr>"),
        Shape(name: "an unclosed header", text: "---\n" + fill("a: b\n", size - 4), kept: "ab"),
        Shape(name: "parentheses", text: fill("("), kept: "("),
        Shape(name: "flags", text: fill("\u{1F1F3}\u{1F1F1}", 10_000), kept: "\u{1F1F3}\u{1F1F1}"),
        Shape(name: "flags in a link text", text: "[" + fill("\u{1F1F3}\u{1F1F1}", 9_999), kept: "[\u{1F1F3}\u{1F1F1}"),
        Shape(name: "one letter with 20,000 accents", text: "a" + String(repeating: "\u{301}", count: 20_000), kept: "a\u{301}"),
        Shape(name: "Zalgo text", text: fill("a\u{301}\u{302}\u{303}\u{304}"), kept: "a\u{301}\u{302}\u{303}\u{304}"),
        Shape(name: "private-use characters", text: fill("\u{F0001}\u{10FFFD}\u{E000}"), kept: "\u{F0001}\u{10FFFD}\u{E000}"),
    ]

    @Test("each shape cooks within 2 s (debug) and keeps the member's characters", arguments: shapes)
    func cooks(_ shape: Shape) {
        let start = ContinuousClock.now
        let html = MarkdownCooker().cook(shape.text)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .seconds(2), "\(shape.name) took \(elapsed)")
        let visible = Self.visibleText(html)
        for scalar in Set(shape.kept.unicodeScalars) {
            let typed = shape.text.unicodeScalars.filter { $0 == scalar }.count
            let shown = visible.unicodeScalars.filter { $0 == scalar }.count
            #expect(shown == typed, "\(shape.name): \(typed) × U+\(String(scalar.value, radix: 16)) typed, \(shown) shown")
        }
        if let piece = shape.contains { #expect(html.contains(piece), "\(shape.name): no \(piece)") }
    }

    @Test("random Markdown soup cooks within 2 s (debug)", arguments: 1...8)
    func soup(seed: UInt64) {
        var random = DemoText(seed: seed)
        let alphabet = ["[", "]", "(", ")", "`", "\\", "!", "a", " ", "\n", "\n\n", ":", "](", "][", "*", "_", "-", "> ", "|", "#"]
        var text = ""
        while text.count < Self.size { text += alphabet[random.below(alphabet.count)] }
        let start = ContinuousClock.now
        _ = MarkdownCooker().cook(String(text.prefix(Self.size)))
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test("the deepest shapes fit in a 512 KiB stack")
    func smallStack() {
        let texts = [
            String(repeating: "[", count: 9_999) + "x" + String(repeating: "]", count: 10_000),
            String(repeating: "![", count: 10_000),
            Self.lines { String(repeating: " ", count: $0) + "- a" },
            Self.lines { String(repeating: "> ", count: $0 % 60 + 1) + "a" },
        ]
        for text in texts {
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                _ = MarkdownCooker().cook(text)
                done.signal()
            }
            thread.stackSize = 512 * 1024
            thread.start()
            done.wait()
        }
    }

    @Test(
        "texts on which Ink traps cook",
        arguments: [
            "- a\n  ", "- a\n  \u{301}", "---\n\n", "---\nx\n \u{301}", "1.\t_>\u{301}_ !```\n  \u{301}", "  ---\n\n",
        ])
    func traps(text: String) {
        #expect(MarkdownCooker().cook(text).count < 100)
    }

    /// Ordinary Markdown renders exactly as before the limits.
    @Test(
        "ordinary Markdown is unchanged",
        arguments: [
            ("- one\n  - two\n    - three\n      - four", "<ul><li>one<ul><li>two<ul><li>three<ul><li>four</li></ul></li></ul></li></ul></li></ul>"),
            ("1. one\n2. two\n   1. nested\n3. three", "<ol><li>one</li><li>two<ol><li>nested</li><li>three</li></ol></li></ol>"),
            // Quotes keep their shape, nested ones too (Ink alone flattened them into one paragraph).
            (
                "> quote\n> > nested\n> > > deeper\n\nafter",
                "<blockquote><p>quote</p><blockquote><p>nested</p><blockquote><p>deeper</p></blockquote></blockquote></blockquote><p>after</p>"
            ),
            (
                "See [this][ref].\n\n[ref]: https://example.org/ref",
                "<p>See <a href=\"https://example.org/ref\" rel=\"nofollow noopener ugc\">this</a>.</p>"
            ),
            (
                "Type `ls`, see [docs](https://x.org), then `pwd` and `[x]`.",
                "<p>Type <code>ls</code>, see <a href=\"https://x.org\" rel=\"nofollow noopener ugc\">docs</a>, then <code>pwd</code> and <code>[x]</code>.</p>"
            ),
            ("`code [with] brackets | pipes **** stars`", "<p><code>code [with] brackets | pipes **** stars</code></p>"),
            ("```\nlet a = [1, 2] | x\n____\n```", "<pre><code>let a = [1, 2] | x\n____\n</code></pre>"),
            (
                "# Title\n## Sub\n\n***\n\ntext *soft* **bold** ***both*** ~~gone~~ __strong__",
                "<h2>Title</h2><h2>Sub</h2><hr><p>text <em>soft</em> <strong>bold</strong> <strong><em>both</em></strong> gone <strong>strong</strong></p>"
            ),
            (
                "A [wiki](https://en.wikipedia.org/wiki/Depression_(mood)) link, [a](https://a.org)[b](https://b.org).",
                "<p>A <a href=\"https://en.wikipedia.org/wiki/Depression_(mood)\" rel=\"nofollow noopener ugc\">wiki</a> link, <a href=\"https://a.org\" rel=\"nofollow noopener ugc\">a</a><a href=\"https://b.org\" rel=\"nofollow noopener ugc\">b</a>.</p>"
            ),
            (
                "Stray [ bracket, [link](https://x.org) and [ another, [two](https://y.org).",
                "<p>Stray [ bracket, <a href=\"https://x.org\" rel=\"nofollow noopener ugc\">link</a> and [ another, <a href=\"https://y.org\" rel=\"nofollow noopener ugc\">two</a>.</p>"
            ),
            ("[![alt](https://x.org/i.png)](https://x.org)", "<p><a href=\"https://x.org\" rel=\"nofollow noopener ugc\"></a></p>"),
        ])
    func ordinary(markdown: String, html: String) {
        #expect(MarkdownCooker().cook(markdown) == html)
    }

    @Test("runs of markers and table pipes show as typed, a line of stars stays a rule")
    func shownAsTyped() {
        #expect(MarkdownCooker().cook("f****ing ____ ~~~~") == "<p>f****ing ____ ~~~~</p>")
        #expect(MarkdownCooker().cook("| a | b |\n|---|---|") == "<p>| a | b | |---|---|</p>")
        #expect(MarkdownCooker().cook("*****") == "<hr>")
    }

    @Test("combined and decomposed letters, flags and private-use characters come back byte for byte")
    func bytesKept() {
        let text = "e\u{301} \u{E9} \u{1F1F3}\u{1F1F1} \u{F0000}\u{10FFFD} [x](https://x.org/\u{1F1F3}\u{1F1F1})"
        let html = MarkdownCooker().cook(text)
        #expect(
            html.utf8.elementsEqual(
                "<p>e\u{301} \u{E9} \u{1F1F3}\u{1F1F1} \u{F0000}\u{10FFFD} <a href=\"https://x.org/\u{1F1F3}\u{1F1F1}\" rel=\"nofollow noopener ugc\">x</a></p>"
                    .utf8))
    }

    /// The text a reader sees: tags dropped, entities decoded once.
    static func visibleText(_ html: String) -> String {
        var out = ""
        var inTag = false
        var index = html.unicodeScalars.startIndex
        let scalars = html.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if inTag {
                if scalar == ">" { inTag = false }
            } else if scalar == "<" {
                inTag = true
            } else if scalar == "&" {
                let rest = String(scalars[index...].prefix(6))
                let entity = [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'")].first { rest.hasPrefix($0.0) }
                if let (name, value) = entity {
                    out += value
                    index = scalars.index(index, offsetBy: name.unicodeScalars.count)
                    continue
                }
                out.unicodeScalars.append(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
            index = scalars.index(after: index)
        }
        return out
    }
}
