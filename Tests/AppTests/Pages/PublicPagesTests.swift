import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("The front door", .serialized)
struct PublicPagesTests {
    @Test(
        "public pages render in Dutch and English with the help link and footer links",
        arguments: ["/", "/terms", "/privacy", "/rules", "/help", "/login", "/signup", "/password/forgot"])
    func publicPage(path: String) async throws {
        try await withConnectApp { app in
            for (language, locale) in [("nl-NL,nl;q=0.9", "nl"), ("en-GB,en;q=0.8", "en")] {
                let browser = TestBrowser(app)
                browser.acceptLanguage = language
                let response = try await browser.get(path)
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.hasPrefix("<!DOCTYPE html>"))
                #expect(html.contains("<html lang=\"\(locale)\">"))
                #expect(html.contains("class=\"help-now\" href=\"/help\""))
                for link in ["/terms", "/privacy", "/rules", "/help"] { #expect(html.contains("href=\"\(link)\"")) }
                #expect(html.contains("class=\"skip-link\""))
                #expect(html.contains("<main id=\"main\""))
            }
        }
    }

    @Test("the default language is Dutch, and the language switch changes it")
    func languageSwitch() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            #expect(try await browser.get("/terms").text.contains("<html lang=\"nl\">"))
            let switched = try await browser.post("/language", [("locale", "en"), ("return_to", "/terms")])
            #expect(switched.location == "/terms")
            #expect(try await browser.get("/terms").text.contains("<html lang=\"en\">"))
        }
    }

    @Test("the language switch never sends people off the site")
    func languageSwitchIsLocal() async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).post("/language", [("locale", "en"), ("return_to", "https://evil.example/")])
            #expect(response.location == "/")
        }
    }

    @Test("a member's saved language wins over the browser's")
    func memberLanguage() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app, locale: .en)
            let browser = TestBrowser(app)
            browser.acceptLanguage = "nl"
            try await Fixtures.logIn(browser, member)
            #expect(try await browser.get("/").text.contains("<html lang=\"en\">"))
        }
    }

    @Test("pages are stored as versions seeded from the files, in both languages")
    func pagesAreVersioned() async throws {
        try await withConnectApp { app in
            for slug in PageSlug.allCases {
                for locale in AppLocale.allCases {
                    let page = try #require(try await PageVersions.current(slug, locale: locale, on: app.db))
                    #expect(page.version == 1)
                    #expect(!page.title.isEmpty)
                    #expect(!page.bodyHTML.isEmpty)
                    #expect(!page.bodyHTML.contains("<script"))
                }
            }
        }
    }

    @Test("the help page names the crisis numbers")
    func helpPage() async throws {
        try await withConnectApp { app in
            let html = try await TestBrowser(app).get("/help").text
            #expect(html.contains("112"))
            #expect(html.contains("0800-0113"))
        }
    }

    @Test("the manual is for members only")
    func manual() async throws {
        try await withConnectApp { app in
            #expect(try await TestBrowser(app).get("/manual").status == .seeOther)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, try await Fixtures.member(app))
            #expect(try await browser.get("/manual").status == .ok)
        }
    }

    @Test("both locale files hold the same keys")
    func localeFilesMatch() async throws {
        try await withConnectApp { app in
            #expect(app.connect.localizer.keys(.nl) == app.connect.localizer.keys(.en))
            #expect(app.connect.localizer.keys(.nl).count > 100)
        }
    }

    @Test("a counted noun has its plural forms: one lookup says 1 reply, 2 replies, 1 reactie, 2 reacties")
    func pluralForms() async throws {
        try await withConnectApp { app in
            let localizer = app.connect.localizer
            #expect(localizer.plural("blogs.comments", count: 1, .en) == "1 comment")
            #expect(localizer.plural("blogs.comments", count: 2, .en) == "2 comments")
            #expect(localizer.plural("blogs.comments", count: 1, .nl) == "1 reactie")
            #expect(localizer.plural("blogs.comments", count: 0, .nl) == "0 reacties")
            #expect(localizer.plural("away.replies", count: 1, .en) == "1 reply in your topics")
            #expect(localizer.plural("away.replies", count: 1_250, .nl) == "1.250 reacties in jouw onderwerpen")
            #expect(localizer.plural("away.replies", count: 1_250, .en) == "1,250 replies in your topics")
            for locale in AppLocale.allCases {
                let keys = localizer.keys(locale)
                for key in keys {
                    let text = localizer.text(key, locale)
                    // A plural key comes as a pair; the old "_one" keys are gone.
                    if key.hasSuffix(".one") {
                        let paired = keys.contains(String(key.dropLast(4)) + ".other")
                        #expect(paired, "\(key) has no .other")
                    }
                    if key.hasSuffix(".other"), text.contains("{count}") {
                        let paired = keys.contains(String(key.dropLast(6)) + ".one")
                        #expect(paired, "\(key) has no .one")
                    }
                    #expect(!key.hasSuffix("_one"), "\(key) predates the plural lookup")
                    // A count in running text needs a plural form; a tally in brackets or "3×" does not.
                    let bare = text.replacingOccurrences(of: "({count})", with: "").replacingOccurrences(of: "{count}×", with: "")
                    if bare.contains("{count}") {
                        let plural = key.hasSuffix(".one") || key.hasSuffix(".other") || key.hasSuffix(".zero")
                        #expect(plural, "\(key): \(text)")
                    }
                }
            }
        }
    }
}
