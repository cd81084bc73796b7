import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The small holes a security pass found: each closed, each with a test.
@Suite("Hardening", .serialized)
struct HardeningTests {
    @Test("a path segment longer than a file name, or a NUL in a path, answers 404 and never serves a file under another type")
    func oddPaths() async throws {
        try await withConnectApp { app in
            let browser = TestBrowser(app)
            #expect(try await browser.get("/" + String(repeating: "a", count: 300)).status == .notFound)
            #expect(try await browser.get("/css/" + String(repeating: "b", count: 300) + ".css").status == .notFound)
            let nul = try await browser.get("/css/site.css%00.html")
            #expect(nul.status == .notFound)
            #expect(nul.headers.contentType?.subType != "css")
            #expect(nul.text.contains("error-page"))
            #expect(try await browser.get("/css/site.css").status == .ok)
        }
    }

    @Test("an address that could add a recipient to a mail header is refused; a real name loses its line breaks")
    func mailHeaderSafety() async throws {
        for bad in [
            "x,evil@example.org", "x>evil@example.org", "x<evil@example.org", "\"x\"@example.org", "x;y@example.org",
            "x@exa mple.org", "x@example", "x@-example.org", ".x@example.org", "x..y@example.org", "x@example.o",
        ] {
            #expect(!EmailAddress.isPlausible(bad), "\(bad) should be refused")
        }
        for good in ["anna@example.org", "anna.de.vries+dc@mail.example.nl", "o'brien@example.ie", "x@xn--bcher-kva.example"] {
            #expect(EmailAddress.isPlausible(good), "\(good) should be accepted")
        }
        var form = SignupForm()
        form.real_name = "Anna\r\nBcc: evil@example.org"
        #expect(form.realNameValue == "AnnaBcc: evil@example.org")
        try await withConnectApp { app in
            let response = try await TestBrowser(app).post(
                "/signup",
                [
                    ("email", "x,evil@example.org"), ("password", goodPassword),
                    ("pseudonym", "RustigeReiger"), ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
                ])
            #expect(response.status == .unprocessableEntity)
            #expect(try await Member.query(on: app.db).count() == 0)
            #expect(try await OutboxMail.query(on: app.db).count() == 0)
        }
    }

    @Test("'forgot password' answers known and unknown addresses alike, and never sooner than its fixed time")
    func forgotTakesTheSameTime() async throws {
        try await withConnectApp { app in
            let member = try await Fixtures.member(app)
            for email in [member.email, "nobody@example.org"] {
                let browser = TestBrowser(app)
                _ = try await browser.get("/password/forgot")
                let started = ContinuousClock.now
                let response = try await browser.post("/password/forgot", [("email", email)])
                #expect(ContinuousClock.now - started >= AccountsRoutes.forgotAnswerTime)
                #expect(response.status == .ok)
                #expect(response.text.contains("forgot-done"))
            }
            #expect(try await OutboxMail.query(on: app.db).count() == 1)
        }
    }

    @Test("metrics need an admin or the METRICS_TOKEN bearer, wherever the request comes from")
    func metricsToken() async throws {
        let token = String(repeating: "t", count: 32)
        try await withConnectApp(adjust: { $0.metricsToken = token }) { (app: Application) async throws -> Void in
            let none = try await Self.metrics(app, authorization: nil)
            let wrong = try await Self.metrics(app, authorization: "Bearer wrong")
            let right = try await Self.metrics(app, authorization: "Bearer \(token)")
            #expect(none == .notFound)
            #expect(wrong == .notFound)
            #expect(right == .ok)
        }
        #expect(throws: ConfigError.self) { try AppConfig.fromEnvironment(["METRICS_TOKEN": "short"]) }
    }

    @Test("metrics report waiting mail, unscreened posts and open crisis alerts with their ages, and per-route latency")
    func operationalGauges() async throws {
        let token = String(repeating: "t", count: 32)
        let clock = ManualClock()
        try await withConnectApp(clock: clock, adjust: { $0.metricsToken = token }) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(anna)
            try await OutboxMail(recipient: "someone@example.org", subject: "Hallo", textBody: "Tekst", htmlBody: nil, now: clock.now()).create(
                on: app.db)
            clock.advance(by: 600)
            var headers = HTTPHeaders()
            headers.add(name: .authorization, value: "Bearer \(token)")
            let text = try await app.testing().sendRequest(.GET, "/metrics", headers: headers).body.string
            let values = Dictionary(
                text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line -> (String, Double)? in
                    let parts = line.split(separator: " ")
                    guard parts.count == 2, let value = Double(parts[1]) else { return nil }
                    return (String(parts[0]), value)
                }, uniquingKeysWith: { $1 })
            #expect(values["connect_database_up"] == 1)
            #expect((values["connect_outbox_depth"] ?? 0) >= 1)
            #expect((values["connect_outbox_oldest_age_seconds"] ?? 0) >= 600)
            #expect(values["connect_unscreened_posts"] == 1)
            #expect(values["connect_unscreened_oldest_age_seconds"] == 600)
            #expect(values["connect_alerts_unacknowledged"] == 0)
            #expect(values["connect_alerts_oldest_unacknowledged_age_seconds"] == 0)
            #expect(text.contains("http_request_duration_seconds_bucket{method=\"POST\",path=\"/t/new\""), "per-route latency")
        }
    }

    @Test("behind a trusted proxy the client is the address the proxy added, not one the client wrote")
    func forwardedAddress() async throws {
        try await withConnectApp(adjust: { $0.trustProxy = true }) { app in
            func ip(_ values: [String]) -> String {
                var headers = HTTPHeaders()
                for value in values { headers.add(name: .xForwardedFor, value: value) }
                return Request(application: app, method: .GET, url: "/", headers: headers, on: app.eventLoopGroup.any()).clientIP
            }
            #expect(ip(["10.0.0.9"]) == "10.0.0.9")
            #expect(ip(["6.6.6.6, 10.0.0.9"]) == "10.0.0.9", "a forged first entry is ignored")
            #expect(ip(["6.6.6.6", "10.0.0.9"]) == "10.0.0.9")
        }
    }

    private static func metrics(_ app: Application, authorization: String?) async throws -> HTTPStatus {
        var headers = HTTPHeaders()
        if let authorization { headers.add(name: .authorization, value: authorization) }
        return try await app.testing().sendRequest(.GET, "/metrics", headers: headers).status
    }
}

@Suite("Sign-up tells nothing about addresses", .serialized)
struct SignupEnumerationTests {
    @Test("a taken pseudonym answers the same whether the email typed is its owner's or not")
    func takenPseudonymAnswersAlike() async throws {
        try await withConnectApp { app in
            let owner = try await Fixtures.member(app, email: "owner@example.org", pseudonym: "StilleZee")
            var answers: [(HTTPStatus, Bool)] = []
            for email in [owner.email, "someone-else@example.org"] {
                let response = try await TestBrowser(app).post(
                    "/signup",
                    [
                        ("email", email), ("pseudonym", "StilleZee"), ("password", goodPassword),
                        ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
                    ])
                answers.append((response.status, response.text.contains("pseudonym-error")))
            }
            #expect(answers[0].0 == answers[1].0)
            #expect(answers[0].1 == answers[1].1)
            #expect(answers[0].0 == .unprocessableEntity)
            #expect(try await OutboxMail.query(on: app.db).count() == 0)
        }
    }
}
