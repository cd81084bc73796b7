import Testing

@testable import TextRules

@Suite("Search terms: what is stored and what is looked for")
struct SearchTextTests {
    /// Whether a text would be found by a query, by the rule both databases apply: every query
    /// group has a term that starts one of the text's terms.
    static func finds(_ query: String, in text: String) -> Bool {
        let stored = Set(SearchText.shadow(of: text).split(separator: " ").map(String.init))
        return SearchText.query(query).allSatisfy { group in group.contains { term in stored.contains { $0.hasPrefix(term) } } }
    }

    @Test(
        "one table of queries: each finds what people mean",
        arguments: [
            ("slaap", "Ik kan niet slapen de laatste tijd.", true), ("slapen", "Vannacht sliep ik eindelijk goed.", true),
            ("sliep", "Ik slaap slecht.", true), ("sleeping", "I slept badly again.", true), ("sleep", "Sleeping is hard.", true),
            ("werk", "Mijn werkgever begrijpt het niet.", true), ("medicatie", "Over medicijnen gesproken.", false),
            ("geemigreerd", "Wij zijn geëmigreerd.", true), ("huilen", "Ik huilde de hele avond.", true),
            ("walking", "I walked along the river.", true), ("slaap werk", "Slapen lukt niet door het werk.", true),
            ("slaap werk", "Slapen lukt niet.", false), ("offi", "My first week back at the office.", true),
        ])
    func queries(query: String, text: String, found: Bool) {
        #expect(Self.finds(query, in: text) == found, "\(query) in \(text)")
    }

    @Test("terms are plain letters and digits: no query syntax can come through")
    func termsAreSafe() {
        for query in ["\"", "AND OR NOT", "a* OR (", "title:x", "'; DROP TABLE", "💙", "ÆØÅ ß"] {
            for term in SearchText.query(query).flatMap({ $0 }) {
                #expect(term.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }, "\(term)")
            }
        }
        #expect(SearchText.query(String(repeating: "woord ", count: 50) + "a b c d e f g h i j").count <= SearchText.maximumQueryWords)
    }

    @Test("plain text from cooked HTML: no tags, no Markdown, entities read as typed")
    func plainText() {
        let html = MarkdownCooker().cook("**Vet** en *schuin*, een [link](https://x.org) & <dit>.\n\n> citaat\n\n- een\n- twee")
        let plain = SearchText.plain(html: html)
        #expect(!plain.contains("<") || plain.contains("<dit>"))
        #expect(!plain.contains("**") && !plain.contains("](") && !plain.contains("&amp;"))
        #expect(plain.contains("Vet en schuin, een link & <dit>.") && plain.contains("citaat") && plain.contains("twee"))
    }

    @Test("a snippet shows the words around the first match, each match marked")
    func snippets() {
        let text = (1...60).map { "woord\($0)" }.joined(separator: " ") + " en toen sliep ik eindelijk, slapen lukte weer."
        let snippet = SearchText.snippet(text, query: SearchText.query("slaap"), open: "[", close: "]")
        #expect(snippet.hasPrefix("… "))
        #expect(snippet.contains("[sliep]") && snippet.contains("[slapen]"))
        #expect(!snippet.contains("woord1 "))
        let none = SearchText.snippet("Kort.", query: SearchText.query("iets"), open: "[", close: "]")
        #expect(none == "Kort.")
    }
}
