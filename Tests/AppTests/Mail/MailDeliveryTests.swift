import Fluent
import Foundation
import NIOPosix
import SMTPMail
import SMTPTestSupport
import Testing
import VaporTesting

@testable import App

@Suite("The mail outbox delivers over real SMTP", .serialized)
struct MailDeliveryTests {
    /// Runs a test with an app whose mail goes to a fresh SMTP test server.
    func withMailApp(clock: ManualClock = ManualClock(), _ test: (Application, SMTPTestServer) async throws -> Void) async throws {
        let server = try await SMTPTestServer.start()
        let settings = try SMTPSettings(url: "smtp://127.0.0.1:\(server.port)?starttls=never")
        let transport = SMTPMailTransport(client: SMTPClient(settings: settings, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: nil))
        do {
            try await withConnectApp(clock: clock, mailTransport: transport) { app in try await test(app, server) }
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    func delivery(_ app: Application) -> MailDelivery {
        MailDelivery(
            database: app.db, transport: app.connect.mailTransport, clock: app.connect.clock,
            from: (app.connect.config.mailFromName, app.connect.config.mailFromAddress), logger: app.logger)
    }

    @Test("a sign-up's verification mail arrives in the member's language, as text and HTML")
    func verificationMailArrives() async throws {
        try await withMailApp { app, server in
            let browser = TestBrowser(app)
            browser.acceptLanguage = "en"
            _ = try await browser.post(
                "/signup",
                [
                    ("email", "eva@example.org"), ("pseudonym", "Eva"), ("password", goodPassword),
                    ("accept_terms", "on"), ("accept_privacy", "on"), ("accept_rules", "on"), ("confirm_adult", "on"),
                ])
            #expect(try await delivery(app).runOnce() == 1)
            let mail = try #require(server.messages().first)
            #expect(mail.recipients == ["eva@example.org"])
            #expect(mail.data.contains("Subject: Confirm your email address for Depression Connect"))
            #expect(mail.data.contains("multipart/alternative"))
            #expect(mail.data.contains("text/html"))
            let sent = try #require(try await OutboxMail.query(on: app.db).first())
            #expect(sent.sentAt != nil)
            #expect(try await delivery(app).runOnce() == 0)
        }
    }

    @Test("a temporary refusal is retried later with back-off, and nothing is lost")
    func retriesAfterTemporaryFailure() async throws {
        let clock = ManualClock()
        try await withMailApp(clock: clock) { app, server in
            try await Outbox.enqueue(ComposedMail(subject: "Hallo", text: "Tekst", html: nil), to: "a@example.org", on: app.db, now: clock.now())
            server.rejectNext(1, code: 451)
            #expect(try await delivery(app).runOnce() == 0)
            let waiting = try #require(try await OutboxMail.query(on: app.db).first())
            #expect(waiting.attempts == 1)
            #expect(waiting.sentAt == nil && waiting.failedAt == nil)
            #expect(waiting.nextAttemptAt > clock.now())
            // Not due yet: nothing happens.
            #expect(try await delivery(app).runOnce() == 0)
            clock.advance(by: MailDelivery.backoff(afterAttempt: 1) + 1)
            #expect(try await delivery(app).runOnce() == 1)
            #expect(server.messages().count == 1)
        }
    }

    @Test("once the mail server takes a mail again, what waited for a later attempt goes at once")
    func recoveryRetriesDeferredMail() async throws {
        let clock = ManualClock()
        try await withMailApp(clock: clock) { app, server in
            for recipient in ["a@example.org", "b@example.org"] {
                try await Outbox.enqueue(ComposedMail(subject: "Hallo", text: "Tekst", html: nil), to: recipient, on: app.db, now: clock.now())
            }
            server.rejectNext(2, code: 451)
            #expect(try await delivery(app).runOnce() == 0)
            // A new mail while the others wait out their back-off: it goes, and so do they.
            clock.advance(by: 5)
            try await Outbox.enqueue(ComposedMail(subject: "Nieuw", text: "Tekst", html: nil), to: "c@example.org", on: app.db, now: clock.now())
            #expect(try await delivery(app).runOnce() == 1)
            #expect(try await delivery(app).runOnce() == 2)
            #expect(server.messages().count == 3)
            #expect(try await OutboxMail.query(on: app.db).filter(\.$sentAt == nil).count() == 0)
        }
    }

    @Test("a permanent refusal stops the retries")
    func permanentFailure() async throws {
        try await withMailApp { app, server in
            try await Outbox.enqueue(
                ComposedMail(subject: "Hallo", text: "Tekst", html: nil), to: "gone@example.org", on: app.db, now: app.connect.clock.now())
            server.rejectNext(1, code: 550)
            #expect(try await delivery(app).runOnce() == 0)
            let mail = try #require(try await OutboxMail.query(on: app.db).first())
            #expect(mail.failedAt != nil)
            #expect(mail.lastError?.contains("550") == true)
        }
    }

    @Test("while the mail server is down, mail waits in the outbox")
    func serverDown() async throws {
        let clock = ManualClock()
        let settings = try SMTPSettings(url: "smtp://127.0.0.1:1?starttls=never")
        let transport = SMTPMailTransport(client: SMTPClient(settings: settings, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: nil))
        try await withConnectApp(clock: clock, mailTransport: transport) { app in
            try await Outbox.enqueue(ComposedMail(subject: "S", text: "T", html: nil), to: "x@example.org", on: app.db, now: clock.now())
            #expect(try await delivery(app).runOnce() == 0)
            let mail = try #require(try await OutboxMail.query(on: app.db).first())
            #expect(mail.sentAt == nil && mail.failedAt == nil && mail.attempts == 1)
        }
    }

    @Test("a claimed mail is not sent twice by a second worker")
    func claimedOnce() async throws {
        try await withMailApp { app, server in
            for i in 0..<5 {
                try await Outbox.enqueue(
                    ComposedMail(subject: "S\(i)", text: "T", html: nil), to: "m\(i)@example.org", on: app.db, now: app.connect.clock.now())
            }
            async let first = delivery(app).runOnce()
            async let second = delivery(app).runOnce()
            let total = try await first + second
            #expect(total == 5)
            #expect(server.messages().count == 5)
        }
    }

    @Test("without SMTP, mail is written to data/mail as .eml files")
    func fileTransport() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let transport = FileMailTransport(directory: directory, logger: Logger(label: "test"))
        try await transport.deliver(
            OutgoingMail(to: "a@example.org", subject: "Héllo", textBody: "Body", htmlBody: nil, messageID: "<1@x>"),
            from: ("Depression Connect", "noreply@example.org"), date: Date())
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.count == 1)
        #expect(files[0].hasSuffix(".eml"))
        let text = try String(contentsOfFile: "\(directory)/\(files[0])", encoding: .utf8)
        #expect(text.contains("To: a@example.org"))
    }
}
