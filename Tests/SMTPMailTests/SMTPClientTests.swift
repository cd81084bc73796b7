import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SMTPTestSupport
import Testing

@testable import SMTPMail

// MARK: - Helpers

private func makeClient(
    _ server: SMTPTestServer,
    host: String = "127.0.0.1",
    username: String? = "mailer",
    password: String? = "s3cret",
    security: SMTPSettings.Security = .startTLSIfOffered,
    timeout: Duration = .seconds(10),
    tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
) -> SMTPClient {
    let settings = SMTPSettings(
        host: host, port: server.port, security: security, username: username, password: password,
        heloName: "app.test", timeout: timeout)
    return SMTPClient(
        settings: settings, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: nil,
        tlsConfiguration: tlsConfiguration)
}

private func withServer(
    _ options: SMTPTestServer.Options = SMTPTestServer.Options(),
    _ body: (SMTPTestServer) async throws -> Void
) async throws {
    let server = try await SMTPTestServer.start(options: options)
    do {
        try await body(server)
    } catch {
        try? await server.shutdown()
        throw error
    }
    try await server.shutdown()
}

private func requiringCredentials(_ mechanisms: [String] = ["PLAIN", "LOGIN"]) -> SMTPTestServer.Options {
    var options = SMTPTestServer.Options()
    options.credentials = ("mailer", "s3cret")
    options.authMechanisms = mechanisms
    return options
}

private let simpleMessage = "From: a@example.org\r\nTo: b@example.org\r\nSubject: Hi\r\n\r\nHello there.\r\n"

/// Runs `body`, which must throw an `SMTPError`, and returns it.
private func smtpError(_ body: () async throws -> Void) async -> SMTPError? {
    do {
        try await body()
        return nil
    } catch let error as SMTPError {
        return error
    } catch {
        Issue.record("Expected an SMTPError, got \(error)")
        return nil
    }
}

/// Headers of a rendered message, unfolded, and its body.
private func split(_ message: String) -> (headers: [String: String], headerLines: [String], body: String) {
    let parts = message.components(separatedBy: "\r\n\r\n")
    let head = parts[0]
    let body = parts.dropFirst().joined(separator: "\r\n\r\n")
    let headerLines = head.components(separatedBy: "\r\n")
    var headers: [String: String] = [:]
    var last: String?
    for line in headerLines {
        if line.hasPrefix(" ") || line.hasPrefix("\t"), let key = last {
            headers[key, default: ""] += line
        } else if let colon = line.firstIndex(of: ":") {
            let key = String(line[..<colon])
            headers[key] = String(line[line.index(after: colon)...].dropFirst())
            last = key
        }
    }
    return (headers, headerLines, body)
}

/// Decodes a header value made of RFC 2047 B-encoded UTF-8 words (whitespace between them dropped).
private func decodeEncodedWords(_ value: String) -> String? {
    var bytes: [UInt8] = []
    for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
        guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return nil }
        guard let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) else { return nil }
        bytes += data
    }
    return String(bytes: bytes, encoding: .utf8)
}

private func decodeBase64Lines(_ text: String) -> String? {
    let joined = text.components(separatedBy: "\r\n").joined()
    return Data(base64Encoded: joined).flatMap { String(data: $0, encoding: .utf8) }
}

// MARK: - Client against the test server

@Suite struct SMTPClientTests {
    @Test func sendsWithAuthPlain() async throws {
        try await withServer(requiringCredentials()) { server in
            try await makeClient(server).send(
                from: "noreply@example.org", recipients: ["alice@example.org"], message: simpleMessage)
            let messages = server.messages()
            #expect(messages.count == 1)
            #expect(messages.first?.from == "noreply@example.org")
            #expect(messages.first?.recipients == ["alice@example.org"])
            #expect(messages.first?.data == simpleMessage)
            #expect(server.commands() == ["EHLO", "AUTH PLAIN", "MAIL", "RCPT", "DATA", "QUIT"])
        }
    }

    @Test func sendsWithAuthLoginWhenPlainIsNotOffered() async throws {
        try await withServer(requiringCredentials(["LOGIN"])) { server in
            try await makeClient(server).send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            #expect(server.messages().count == 1)
            #expect(server.commands().contains("AUTH LOGIN"))
        }
    }

    @Test func wrongPasswordIsPermanent() async throws {
        try await withServer(requiringCredentials()) { server in
            let error = await smtpError {
                try await makeClient(server, password: "wrong").send(
                    from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.code == 535)
            #expect(error?.isTransient == false)
            #expect(error.map { !String(describing: $0).contains("wrong") } == true)
            #expect(server.messages().isEmpty)
        }
    }

    @Test func sendsWithoutAuthWhenNoCredentials() async throws {
        try await withServer { server in
            try await makeClient(server, username: nil, password: nil).send(
                from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            #expect(server.messages().count == 1)
            #expect(!server.commands().contains { $0.hasPrefix("AUTH") })
        }
    }

    @Test func dotStuffingKeepsLinesStartingWithADot() async throws {
        let message = "Subject: dots\r\n\r\n.hidden line\r\n..two dots\r\n.\r\nend\r\n."
        try await withServer { server in
            try await makeClient(server).send(from: "a@example.org", recipients: ["b@example.org"], message: message)
            // The final line gets its CRLF; nothing else changes.
            #expect(server.messages().first?.data == message + "\r\n")
        }
    }

    @Test func dataPayloadIsDotStuffedAndTerminated() {
        var payload = SMTPClient.dataPayload(".a\nb\r\n.\r\nc")
        let text = payload.readString(length: payload.readableBytes)
        #expect(text == "..a\r\nb\r\n..\r\nc\r\n.\r\n")
        var empty = SMTPClient.dataPayload("")
        #expect(empty.readString(length: empty.readableBytes) == ".\r\n")
    }

    @Test func sendsARenderedMessageWithUTF8Subject() async throws {
        let subject = "Willkommen bei Depression Connect – schön, dass du da bist 🌱"
        let message = MIMEMessage.render(
            fromName: "Depression Connect", fromAddress: "noreply@example.org", to: "jo@example.org",
            subject: subject, textBody: "Hallo Jo,\n.\nbis bald", htmlBody: "<p>Hallo Jo</p>",
            date: Date(timeIntervalSince1970: 1_700_000_000), messageID: "<abc@example.org>")
        try await withServer(requiringCredentials()) { server in
            try await makeClient(server).send(from: "noreply@example.org", recipients: ["jo@example.org"], message: message)
            let received = try #require(server.messages().first)
            #expect(received.data == message)
            #expect(decodeEncodedWords(split(received.data).headers["Subject"] ?? "") == subject)
        }
    }

    @Test func sendsToSeveralRecipients() async throws {
        try await withServer { server in
            let recipients = ["a@example.org", "b@example.org", "c@example.net"]
            try await makeClient(server).send(from: "x@example.org", recipients: recipients, message: simpleMessage)
            #expect(server.messages().first?.recipients == recipients)
            #expect(server.commands().filter { $0 == "RCPT" }.count == 3)
        }
    }

    @Test func temporaryRejectionIsTransientAndTheRetryWorks() async throws {
        try await withServer { server in
            server.rejectNext(1, code: 451)
            let client = makeClient(server)
            let error = await smtpError {
                try await client.send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.code == 451)
            #expect(error?.isTransient == true)
            #expect(server.messages().isEmpty)

            try await client.send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            #expect(server.messages().count == 1)
        }
    }

    @Test(arguments: [SMTPTestServer.RejectionStage.mailFrom, .rcptTo, .data])
    func permanentRejectionIsNotTransient(stage: SMTPTestServer.RejectionStage) async throws {
        try await withServer { server in
            server.rejectNext(1, code: 550, at: stage)
            let error = await smtpError {
                try await makeClient(server).send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.code == 550)
            #expect(error?.isTransient == false)
            #expect(server.messages().isEmpty)
            #expect(server.commands().last == "QUIT")
        }
    }

    @Test func temporaryRejectionOfTheSenderIsTransient() async throws {
        try await withServer { server in
            server.rejectNext(1, code: 451, at: .mailFrom)
            let error = await smtpError {
                try await makeClient(server).send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.code == 451)
            #expect(error?.isTransient == true)
        }
    }

    @Test func closedPortIsTransient() async throws {
        let server = try await SMTPTestServer.start()
        try await server.shutdown()
        let error = await smtpError {
            try await makeClient(server).send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
        }
        #expect(error != nil)
        #expect(error?.code == nil)
        #expect(error?.isTransient == true)
    }

    @Test func busyGreetingIsTransient() async throws {
        var options = SMTPTestServer.Options()
        options.greeting = "421 4.3.2 Too busy, try later"
        try await withServer(options) { server in
            let error = await smtpError {
                try await makeClient(server).send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.code == 421)
            #expect(error?.isTransient == true)
            #expect(error?.message.contains("Too busy") == true)
        }
    }

    @Test func slowServerTimesOutAsTransient() async throws {
        var options = SMTPTestServer.Options()
        options.ehloDelay = .seconds(3)
        try await withServer(options) { server in
            // The server answers only after 3 s; an error (rather than a send) proves the timeout.
            let error = await smtpError {
                try await makeClient(server, timeout: .milliseconds(300)).send(
                    from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.isTransient == true)
            #expect(error?.message.contains("EHLO") == true)
        }
    }

    @Test func fallsBackToHELO() async throws {
        var options = SMTPTestServer.Options()
        options.supportsEHLO = false
        try await withServer(options) { server in
            try await makeClient(server, username: nil, password: nil).send(
                from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            #expect(server.messages().count == 1)
            #expect(Array(server.commands().prefix(2)) == ["EHLO", "HELO"])
        }
    }

    @Test func requiredSTARTTLSThatIsNotOfferedFails() async throws {
        try await withServer { server in
            let error = await smtpError {
                try await makeClient(server, security: .startTLSRequired).send(
                    from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.isTransient == false)
            #expect(error?.message.contains("STARTTLS") == true)
            #expect(server.messages().isEmpty)
        }
    }

    @Test func invalidAddressesAreRefusedBeforeConnecting() async throws {
        try await withServer { server in
            let error = await smtpError {
                try await makeClient(server).send(
                    from: "a@example.org", recipients: ["b@example.org>\r\nRCPT TO:<evil@example.org"], message: simpleMessage)
            }
            #expect(error?.isTransient == false)
            #expect(server.commands().isEmpty)
        }
    }

    @Test func sendsOverSTARTTLS() async throws {
        var options = requiringCredentials()
        options.startTLS = try SMTPTestServer.makeServerTLSContext()
        try await withServer(options) { server in
            let client = makeClient(
                server, security: .startTLSRequired, tlsConfiguration: try SMTPTestServer.makeClientTLSConfiguration())
            try await client.send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            #expect(server.messages().first?.data == simpleMessage)
            #expect(server.tlsSessions == 1)
            #expect(server.commands() == ["EHLO", "STARTTLS", "EHLO", "AUTH PLAIN", "MAIL", "RCPT", "DATA", "QUIT"])
        }
    }

    @Test func sendsOverImplicitTLS() async throws {
        var options = requiringCredentials()
        options.implicitTLS = try SMTPTestServer.makeServerTLSContext()
        try await withServer(options) { server in
            let client = makeClient(
                server, host: "localhost", security: .implicitTLS,
                tlsConfiguration: try SMTPTestServer.makeClientTLSConfiguration())
            try await client.send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            #expect(server.messages().count == 1)
            #expect(server.tlsSessions == 1)
        }
    }

    @Test func untrustedCertificateFailsAsTransient() async throws {
        var options = requiringCredentials()
        options.startTLS = try SMTPTestServer.makeServerTLSContext()
        try await withServer(options) { server in
            // The default configuration does not trust the self-signed test certificate.
            let error = await smtpError {
                try await makeClient(server).send(from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
            }
            #expect(error?.isTransient == true)
            #expect(server.messages().isEmpty)
            #expect(!server.commands().contains { $0.hasPrefix("AUTH") })
        }
    }

    #if os(Linux)
        /// 127.0.0.2 reaches this machine on Linux but is not one of the hosts where credentials
        /// may travel in plain text.
        @Test func refusesCredentialsOverPlainTextToAnotherHost() async throws {
            var options = SMTPTestServer.Options()
            options.host = "127.0.0.2"
            try await withServer(options) { server in
                let error = await smtpError {
                    try await makeClient(server, host: "127.0.0.2").send(
                        from: "a@example.org", recipients: ["b@example.org"], message: simpleMessage)
                }
                #expect(error?.isTransient == false)
                #expect(error?.message.contains("unencrypted") == true)
                #expect(!server.commands().contains { $0.hasPrefix("AUTH") })
                #expect(server.messages().isEmpty)
            }
        }
    #endif
}

// MARK: - Reply decoding

@Suite struct SMTPResponseDecoderTests {
    @Test func decodesMultiLineRepliesSplitAcrossReads() throws {
        var decoder = SMTPResponseDecoder()
        #expect(try decoder.feed(ByteBuffer(string: "220 hello\r\n250-first\r\n250-AUTH PL")).map(\.code) == [220])
        #expect(decoder.hasBufferedBytes)
        let replies = try decoder.feed(ByteBuffer(string: "AIN LOGIN\r\n250 last\r\n"))
        #expect(replies == [SMTPResponse(code: 250, lines: ["first", "AUTH PLAIN LOGIN", "last"])])
        #expect(!decoder.hasBufferedBytes)
    }

    @Test func rejectsGarbage() {
        var decoder = SMTPResponseDecoder()
        #expect(throws: SMTPResponseDecoder.DecodingError.self) {
            _ = try decoder.feed(ByteBuffer(string: "hello\r\n"))
        }
        var mixed = SMTPResponseDecoder()
        #expect(throws: SMTPResponseDecoder.DecodingError.self) {
            _ = try mixed.feed(ByteBuffer(string: "250-a\r\n251 b\r\n"))
        }
    }

    @Test func readsCapabilities() throws {
        let reply = SMTPResponse(code: 250, lines: ["host", "STARTTLS", "AUTH=LOGIN", "auth plain cram-md5", "SIZE 1000"])
        let capabilities = SMTPCapabilities(ehloResponse: reply)
        #expect(capabilities.supports("starttls"))
        #expect(capabilities.authMechanisms == ["LOGIN", "PLAIN", "CRAM-MD5"])
        #expect(!capabilities.supports("8BITMIME"))
    }
}

// MARK: - MIMEMessage

@Suite struct MIMEMessageTests {
    private let date = Date(timeIntervalSince1970: 1_741_079_107)  // Tue, 04 Mar 2025 09:05:07 UTC

    private func render(subject: String = "Hello", fromName: String = "Depression Connect", text: String = "Hi", html: String? = "<p>Hi</p>")
        -> String
    {
        MIMEMessage.render(
            fromName: fromName, fromAddress: "noreply@example.org", to: "jo@example.org", subject: subject,
            textBody: text, htmlBody: html, date: date, messageID: "<id-1@example.org>")
    }

    @Test func hasTheRequiredHeaders() {
        let message = render()
        let (headers, _, _) = split(message)
        #expect(headers["From"] == "Depression Connect <noreply@example.org>")
        #expect(headers["To"] == "jo@example.org")
        #expect(headers["Subject"] == "Hello")
        #expect(headers["Date"] == "Tue, 04 Mar 2025 09:05:07 +0000")
        #expect(headers["Message-ID"] == "<id-1@example.org>")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Content-Type"]?.hasPrefix("multipart/alternative;") == true)
    }

    @Test func usesCRLFAndShortLinesOnly() {
        let message = render(
            subject: String(repeating: "Ein sehr langer Betreff über vieles ", count: 6),
            text: String(repeating: "Lorem ipsum dolor sit amet. ", count: 40))
        #expect(message.hasSuffix("\r\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        for line in message.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII })
        }
    }

    @Test func foldsALongASCIISubject() {
        let subject = String(repeating: "word ", count: 40).trimmingCharacters(in: .whitespaces)
        let message = render(subject: subject)
        let (headers, headerLines, _) = split(message)
        #expect(headerLines.filter { $0.hasPrefix(" ") }.count >= 2)
        #expect(headers["Subject"] == subject)
    }

    @Test func encodesAUTF8SubjectThatDecodesBack() {
        let subjects = ["Grüße", "Dein Konto – bitte bestätigen ✅", String(repeating: "ä", count: 120), "日本語のテスト🌸"]
        for subject in subjects {
            let (headers, headerLines, _) = split(render(subject: subject))
            #expect(headers["Subject"]?.hasPrefix("=?UTF-8?B?") == true)
            #expect(decodeEncodedWords(headers["Subject"] ?? "") == subject)
            for line in headerLines {
                #expect(line.utf8.count <= 78)
            }
        }
    }

    @Test func encodesANonASCIIDisplayName() {
        let (headers, _, _) = split(render(fromName: "Zoë aus Köln"))
        let from = headers["From"] ?? ""
        #expect(from.hasSuffix(" <noreply@example.org>"))
        #expect(decodeEncodedWords(String(from.dropLast(" <noreply@example.org>".count))) == "Zoë aus Köln")
    }

    @Test func quotesADisplayNameWithSpecials() {
        #expect(split(render(fromName: "Connect, \"the\" team")).headers["From"] == "\"Connect, \\\"the\\\" team\" <noreply@example.org>")
    }

    @Test func bodiesAreBase64AndDecodeBack() throws {
        let text = "Hallo Jo,\r\n\r\n.ein Punkt am Anfang\r\nGrüße 🌱 " + String(repeating: "x", count: 200)
        let html = "<p>Hallo <b>Jo</b> – schön!</p>"
        let message = render(text: text, html: html)
        let (headers, _, body) = split(message)
        let contentType = try #require(headers["Content-Type"])
        let boundary = try #require(contentType.components(separatedBy: "boundary=\"").last?.dropLast())
        let parts = body.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4)  // preamble, text, html, "--" epilogue
        #expect(parts.last?.hasPrefix("--") == true)

        let textPart = split(String(parts[1].dropFirst()))  // "\r\n" is one Character
        #expect(textPart.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(textPart.headers["Content-Transfer-Encoding"] == "base64")
        let textLines = textPart.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(textLines.dropLast().allSatisfy { $0.count == 76 })
        #expect(decodeBase64Lines(textPart.body) == text)

        let htmlPart = split(String(parts[2].dropFirst()))
        #expect(htmlPart.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(decodeBase64Lines(htmlPart.body) == html)
    }

    @Test func textOnlyWithoutHTML() {
        let message = render(text: "line one\nline two", html: nil)
        let (headers, _, body) = split(message)
        #expect(headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(headers["Content-Transfer-Encoding"] == "base64")
        #expect(!message.contains("multipart"))
        // Line breaks are made canonical (CRLF) before encoding.
        #expect(decodeBase64Lines(body) == "line one\r\nline two")
    }

    @Test func headerValuesCannotInjectHeaders() {
        let message = MIMEMessage.render(
            fromName: "Evil\r\nBcc: a@evil.example", fromAddress: "noreply@example.org\nX-A: 1",
            to: "jo@example.org\r\nBcc: b@evil.example", subject: "Hi\r\nBcc: c@evil.example\r\n\r\nbody",
            textBody: "t", htmlBody: nil, date: date, messageID: "<x@y>\r\nBcc: d@evil.example")
        let (headers, headerLines, _) = split(message)
        #expect(!headerLines.contains { $0.hasPrefix("Bcc") || $0.hasPrefix("X-A") })
        #expect(headers["Bcc"] == nil)
        #expect(headers["Subject"] == "Hi Bcc: c@evil.example body")
    }

    @Test func formatsDatesInEnglishUTC() {
        #expect(MIMEMessage.rfc5322Date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MIMEMessage.rfc5322Date(Date(timeIntervalSince1970: 1_735_689_599)) == "Tue, 31 Dec 2024 23:59:59 +0000")
    }
}

// MARK: - SMTPSettings

@Suite struct SMTPSettingsTests {
    @Test func smtpWithCredentialsUsesSTARTTLSIfOffered() throws {
        let settings = try SMTPSettings(url: "smtp://mailer:secret@mail.example.org:587")
        #expect(settings.host == "mail.example.org")
        #expect(settings.port == 587)
        #expect(settings.security == .startTLSIfOffered)
        #expect(settings.username == "mailer")
        #expect(settings.password == "secret")
        #expect(settings.heloName == "localhost")
        #expect(settings.timeout == .seconds(30))
    }

    @Test func defaultPorts() throws {
        #expect(try SMTPSettings(url: "smtp://mail.example.org").port == 25)
        let smtps = try SMTPSettings(url: "smtps://u:p@mail.example.org")
        #expect(smtps.port == 465)
        #expect(smtps.security == .implicitTLS)
        #expect(try SMTPSettings(url: "SMTPS://mail.example.org:2465").port == 2465)
    }

    @Test func startTLSOptions() throws {
        let required = try SMTPSettings(url: "smtp://mail.example.org:587?starttls=required")
        #expect(required.security == .startTLSRequired)
        #expect(required.username == nil && required.password == nil)
        #expect(try SMTPSettings(url: "smtp://localhost:1025?starttls=never").security == .plain)
        #expect(try SMTPSettings(url: "smtp://h?helo=app.example.org&timeout=5").heloName == "app.example.org")
        #expect(try SMTPSettings(url: "smtp://h?timeout=2.5").timeout == .milliseconds(2500))
    }

    @Test func userAndPasswordArePercentDecoded() throws {
        let settings = try SMTPSettings(url: "smtp://apikey%40example.org:p%40ss%3Aw%2Fo%25rd@smtp.example.org:2525")
        #expect(settings.username == "apikey@example.org")
        #expect(settings.password == "p@ss:w/o%rd")
        #expect(settings.host == "smtp.example.org")
        #expect(settings.port == 2525)
    }

    @Test func ipv6Loopback() throws {
        let settings = try SMTPSettings(url: "smtp://[::1]:2525")
        #expect(settings.host == "::1")
        #expect(settings.isLoopback)
        #expect(try SMTPSettings(url: "smtp://localhost").isLoopback)
        #expect(try !SMTPSettings(url: "smtp://127.0.0.2").isLoopback)
    }

    @Test func descriptionHidesThePassword() throws {
        let settings = try SMTPSettings(url: "smtp://mailer:topsecret99@mail.example.org:587?starttls=required")
        let text = String(describing: settings)
        #expect(!text.contains("topsecret99"))
        #expect(text.contains("mailer"))
        #expect(text.contains("mail.example.org:587"))
    }

    @Test(arguments: [
        "", "not a url", "http://mail.example.org", "smtp://", "smtp://:secret@", "mail.example.org:25",
        "smtp://host:99999", "smtp://host/path", "smtp://host?starttls=maybe", "smtps://host?starttls=required",
        "smtp://host?unknown=1", "smtp://:topsecret99@host",
    ])
    func garbageThrowsWithoutThePassword(url: String) {
        do {
            let settings = try SMTPSettings(url: url)
            Issue.record("Expected an error for \(url), got \(settings)")
        } catch {
            let text = String(describing: error)
            #expect(text.contains("SMTP_URL"))
            #expect(!text.contains("topsecret99"))
        }
    }
}
