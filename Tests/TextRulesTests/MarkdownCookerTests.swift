import Testing

@testable import TextRules

@Suite("Markdown is cooked into safe HTML")
struct MarkdownCookerTests {
    let cooker = MarkdownCooker()

    @Test("paragraphs, emphasis, lists and quotes survive")
    func basicMarkdown() {
        let html = cooker.cook("Hello **bold** and *soft*\n\n- one\n- two\n\n> a quote")
        #expect(html.contains("<strong>bold</strong>"))
        #expect(html.contains("<em>soft</em>"))
        #expect(html.contains("<li>one</li>"))
        #expect(html.contains("<blockquote>"))
    }

    @Test("ampersands and angle brackets show as typed, escaped once")
    func plainCharacters() {
        let html = cooker.cook("Tom & Jerry say 3 < 4 and 5 > 2")
        #expect(html.contains("Tom &amp; Jerry say 3 &lt; 4 and 5 &gt; 2"))
    }

    @Test("line breaks inside a paragraph are kept")
    func lineBreaks() {
        let html = cooker.cook("first line  \nsecond line")
        #expect(html.contains("<br>"))
    }

    @Test("safe links get rel attributes")
    func safeLinks() {
        let html = cooker.cook("[113](https://www.113.nl)")
        #expect(html.contains("<a href=\"https://www.113.nl\" rel=\"nofollow noopener ugc\">113</a>"))
    }

    /// A list of well-known XSS payloads; none may leave a live tag, handler or script URL.
    static let payloads = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "<iframe src=javascript:alert(1)>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "[x](http://a\" onmouseover=\"alert(1))",
        "![x](https://example.org/x.png\" onerror=\"alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<<script>script>alert(1)<</script>/script>",
        "<body onload=alert(1)>",
        "<div style=\"background:url(javascript:alert(1))\">",
        "`<script>alert(1)</script>`",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "[x](\tjavascript:alert(1))",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<details open ontoggle=alert(1)>",
        "[a](https://ok.example/\"><script>alert(1)</script>)",
        "[x](//evil.example/path)",
        "[x](/\\evil.example)",
    ]

    @Test("links to pages of this site survive")
    func localLinks() {
        #expect(cooker.cook("[help](/help)").contains("<a href=\"/help\" rel=\"nofollow noopener ugc\">help</a>"))
    }

    @Test("protocol-relative links are dropped")
    func protocolRelative() {
        #expect(!cooker.cook("[x](//evil.example/path)").contains("<a "))
    }

    @Test("no XSS payload survives", arguments: payloads)
    func xssPayloadIsNeutralised(payload: String) {
        let html = cooker.cook(payload).lowercased()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<svg"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("<body"))
        #expect(!html.contains("<div"))
        #expect(!html.contains("<style"))
        #expect(!html.contains("<details"))
        #expect(!html.contains("<a href=\"javascript"))
        #expect(!html.contains("<a href=\"data:"))
        #expect(!html.contains("<a href=\"vbscript"))
        // Any attribute other than a link's href and rel would be a way in.
        let tagAttributes = html.matches(of: /<[a-z0-9]+\s+([^>]*)>/).map { String($0.1) }
        for attributes in tagAttributes {
            let names = attributes.matches(of: /([a-z-]+)=/).map { String($0.1) }
            #expect(Set(names).isSubset(of: ["href", "rel"]), "unexpected attributes: \(attributes)")
        }
    }
}

@Suite("A quoted post keeps its shape")
struct QuoteShapeTests {
    @Test("a quote of two paragraphs and a list stays two paragraphs and a list, under a link to the post")
    func quoteKeepsParagraphs() {
        let markdown = Quoting.quote(
            "First thought.\n\nSecond thought, later.\n\n- one\n- two", author: "Anna", intro: "Anna wrote:", link: "/t/4/posts/2")
        let html = MarkdownCooker().cook(markdown)
        #expect(html.contains("<a href=\"/t/4/posts/2\" rel=\"nofollow noopener ugc\">Anna wrote:</a>"), "\(html)")
        let quote = html.components(separatedBy: "<blockquote>").dropFirst().joined()
        #expect(quote.contains("<p>First thought.</p>"), "\(html)")
        #expect(quote.contains("<p>Second thought, later.</p>"), "\(html)")
        #expect(quote.contains("<li>one</li>") && quote.contains("<li>two</li>"), "\(html)")
    }
}

@Suite("Crisis numbers can be called from a phone")
struct PhoneLinkTests {
    @Test("a tel: link of digits survives; anything else after tel: is dropped")
    func telLinks() {
        let cooker = MarkdownCooker()
        #expect(cooker.cook("Bel [0800-0113](tel:0800-0113).").contains("<a href=\"tel:0800-0113\" rel=\"nofollow noopener ugc\">0800-0113</a>"))
        #expect(cooker.cook("[112](tel:+31112)").contains("href=\"tel:+31112\""))
        #expect(!cooker.cook("[x](tel:0800;javascript:alert(1))").contains("href"))
        #expect(!cooker.cook("[x](tel:)").contains("href"))
    }
}
