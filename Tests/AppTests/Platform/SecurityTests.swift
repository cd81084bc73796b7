import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Security baseline", .serialized)
struct SecurityTests {
    @Test("every page carries the security headers and noindex")
    func headers() async throws {
        try await withConnectApp { app in
            for path in ["/", "/login", "/does-not-exist"] {
                let response = try await TestBrowser(app).get(path)
                let csp = try #require(response.headers.first(name: "Content-Security-Policy"))
                #expect(csp.contains("script-src 'self'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
                #expect(response.headers.first(name: "X-Robots-Tag")?.contains("noindex") == true)
                #expect(
                    response.text.contains("<meta name=\"robots\" content=\"noindex, nofollow\">")
                        || response.text.contains("name=\"robots\" content=\"noindex, nofollow\""))
            }
        }
    }

    @Test("a form without a CSRF token is refused with a kind page", arguments: ["/signup", "/login", "/password/forgot", "/language"])
    func csrfMissing(path: String) async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).post(path, [("email", "a@example.org")], includeCSRF: false)
            #expect(response.status == .forbidden)
            #expect(response.text.contains("id=\"error-page\""))
        }
    }

    @Test("a form with a wrong CSRF token is refused")
    func csrfWrong() async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).post("/login", [("email", "a@example.org"), ("password", "x")], csrf: SecureToken.generate())
            #expect(response.status == .forbidden)
        }
    }

    @Test("a body past what any person types is refused without detail (a form over the usual limit comes back cut: BadInputTests)")
    func oversizedBody() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            _ = try await browser.get("/")
            let csrf = try #require(browser.cookies[CSRFProtection.cookieName])
            let big = String(repeating: "a", count: OversizedForm.hardLimit + 10)
            let response = try await browser.post("/signup", rawBody: "_csrf=\(csrf)&email=\(big)")
            #expect(response.status == .payloadTooLarge)
            #expect(response.text.contains("data-status=\"413\""))
        }
    }

    @Test("unknown pages get the 404 page in the site's layout")
    func notFound() async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).get("/no/such/page")
            #expect(response.status == .notFound)
            #expect(response.text.contains("data-status=\"404\""))
            #expect(response.text.contains("class=\"help-now\""))
        }
    }

    @Test("the CSRF cookie is HttpOnly and SameSite=Lax, and Secure under https")
    func cookieFlags() async throws {
        try await withConnectApp(adjust: { $0.publicURL = "https://connect.example" }) { app in
            let response = try await TestBrowser(app).get("/")
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix("dc_csrf=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("metrics are hidden from visitors and shown to admins")
    func metrics() async throws {
        try await withConnectApp { app in
            #expect(try await TestBrowser(app).get("/metrics").status == .notFound)
            let admin = TestBrowser(app)
            try await Fixtures.logIn(admin, try await Fixtures.member(app, role: .admin))
            let response = try await admin.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType)?.contains("text/plain") == true)
        }
    }

    @Test("healthz answers 200 when the database is ready")
    func health() async throws {
        try await withConnectApp { app in
            let response = try await TestBrowser(app).get("/healthz")
            #expect(response.status == .ok)
            #expect(response.text == "ok\n")
        }
    }

    @Test("healthz/live answers from memory: no database query, visitor or member alike")
    func liveness() async throws {
        try await withConnectApp { app in
            let counter = QueryCounter()
            app.middleware.use(QueryCountingMiddleware(counter: counter))
            let visitor = TestBrowser(app)
            counter.reset()
            let response = try await visitor.get("/healthz/live")
            #expect(response.status == .ok && response.text == "ok\n")
            #expect(counter.count == 0, "\(counter.statements)")
            let (member, _) = try await ForumSteps.loggedIn(app)
            #expect(try await member.get("/healthz/live").text == "ok\n")
        }
    }
}
