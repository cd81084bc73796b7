import Foundation
import Logging
import NIOCore
import NIOSSL

/// Sends mail over SMTP, one connection per `send`.
///
/// The conversation: greeting, EHLO (HELO when EHLO is refused), STARTTLS when the settings ask
/// for it (then EHLO again), AUTH PLAIN or LOGIN when credentials are set, MAIL FROM, RCPT TO for
/// each recipient, DATA, QUIT. Credentials are never sent over an unencrypted connection unless
/// the host is this machine. Errors are `SMTPError`s whose `isTransient` tells whether to retry.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger?
    private let tlsConfiguration: TLSConfiguration

    public init(settings: SMTPSettings, eventLoopGroup: any EventLoopGroup, logger: Logger?) {
        self.init(
            settings: settings, eventLoopGroup: eventLoopGroup, logger: logger,
            tlsConfiguration: .makeClientConfiguration())
    }

    /// As above, with a TLS configuration of one's own (say, to trust a private certificate).
    public init(
        settings: SMTPSettings, eventLoopGroup: any EventLoopGroup, logger: Logger?,
        tlsConfiguration: TLSConfiguration
    ) {
        self.settings = settings
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.tlsConfiguration = tlsConfiguration
    }

    /// Delivers `message` (a complete RFC 5322 message with CRLF line endings) from `from` to
    /// every address in `recipients`. Fails as a whole if any recipient is refused.
    public func send(from: String, recipients: [String], message: String) async throws {
        try Self.checkAddress(from, role: "sender", allowEmpty: true)
        guard !recipients.isEmpty else { throw SMTPError.permanent("No recipients") }
        for recipient in recipients {
            try Self.checkAddress(recipient, role: "recipient", allowEmpty: false)
        }

        let timeout = Self.timeAmount(settings.timeout)
        let serverHostname = Self.isIPAddress(settings.host) ? nil : settings.host
        var sslContext: NIOSSLContext?
        if settings.security != .plain {
            do {
                sslContext = try NIOSSLContext(configuration: tlsConfiguration)
            } catch {
                throw SMTPError.permanent("Could not set up TLS: \(error)")
            }
        }

        var log = logger
        log?[metadataKey: "smtp-server"] = "\(settings.host):\(settings.port)"
        log?.debug("Connecting to the mail server")

        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.connect(
                host: settings.host, port: settings.port, group: eventLoopGroup, timeout: timeout,
                implicitTLS: settings.security == .implicitTLS ? sslContext.map { ($0, serverHostname) } : nil)
        } catch {
            throw Self.smtpError(error, step: "Connecting to \(settings.host):\(settings.port)")
        }

        var step = "Greeting"
        do {
            try await converse(
                connection, from: from, recipients: recipients, message: message,
                sslContext: sslContext, serverHostname: serverHostname, step: &step, logger: log)
        } catch {
            let smtpError = Self.smtpError(error, step: step)
            log?.debug("Mail not sent: \(smtpError)")
            if smtpError.code != nil {
                // The server refused something but is still talking: say goodbye politely.
                _ = try? await connection.command("QUIT", step: "QUIT")
            }
            await connection.close()
            throw smtpError
        }
        await connection.close()
    }

    private func converse(
        _ connection: SMTPConnection, from: String, recipients: [String], message: String,
        sslContext: NIOSSLContext?, serverHostname: String?, step: inout String, logger: Logger?
    ) async throws {
        step = "Greeting"
        let greeting = try await connection.request(.awaitGreeting, step: step)
        guard greeting.code == 220 else { throw SMTPError(step: step, response: greeting) }

        var capabilities = try await hello(connection, step: &step)
        var encrypted = settings.security == .implicitTLS

        if settings.security == .startTLSIfOffered || settings.security == .startTLSRequired {
            if capabilities.supports("STARTTLS"), let sslContext {
                step = "STARTTLS"
                let reply = try await connection.request(
                    .startTLS(sslContext, serverHostname: serverHostname), step: step)
                guard reply.code == 220 else { throw SMTPError(step: step, response: reply) }
                encrypted = true
                logger?.trace("TLS started")
                capabilities = try await hello(connection, step: &step)
            } else if settings.security == .startTLSRequired {
                throw SMTPError.permanent("The server does not offer STARTTLS, which SMTP_URL requires")
            }
        }

        if let username = settings.username {
            guard encrypted || settings.isLoopback else {
                throw SMTPError.permanent(
                    "Refusing to send credentials over an unencrypted connection to \(settings.host)")
            }
            try await authenticate(
                connection, username: username, password: settings.password ?? "",
                mechanisms: capabilities.authMechanisms, step: &step)
        }

        var mailFrom = "MAIL FROM:<\(from)>"
        if message.utf8.contains(where: { $0 >= 0x80 }), capabilities.supports("8BITMIME") {
            mailFrom += " BODY=8BITMIME"
        }
        if (recipients + [from]).contains(where: { $0.utf8.contains(where: { $0 >= 0x80 }) }),
            capabilities.supports("SMTPUTF8")
        {
            mailFrom += " SMTPUTF8"
        }
        step = "MAIL FROM"
        try await expect(connection.command(mailFrom, step: step), step: step, codes: [250])

        for recipient in recipients {
            step = "RCPT TO"
            try await expect(connection.command("RCPT TO:<\(recipient)>", step: step), step: step, codes: [250, 251])
        }

        step = "DATA"
        try await expect(connection.command("DATA", step: step), step: step, codes: [354])
        step = "End of DATA"
        let payload = Self.dataPayload(message, allocator: connection.channel.allocator)
        try await expect(connection.request(.command(payload), step: step), step: step, codes: [250])
        logger?.debug("Mail accepted by the server")

        step = "QUIT"
        // The mail is delivered; a server that hangs up without answering QUIT changes nothing.
        _ = try? await connection.command("QUIT", step: step)
    }

    /// EHLO, or HELO when the server refuses EHLO with a 5xx reply.
    private func hello(_ connection: SMTPConnection, step: inout String) async throws -> SMTPCapabilities {
        step = "EHLO"
        let reply = try await connection.command("EHLO \(settings.heloName)", step: step)
        if reply.code == 250 {
            return SMTPCapabilities(ehloResponse: reply)
        }
        guard (500...599).contains(reply.code) else { throw SMTPError(step: step, response: reply) }
        step = "HELO"
        try await expect(connection.command("HELO \(settings.heloName)", step: step), step: step, codes: [250])
        return SMTPCapabilities()
    }

    private func authenticate(
        _ connection: SMTPConnection, username: String, password: String, mechanisms: Set<String>,
        step: inout String
    ) async throws {
        if mechanisms.contains("PLAIN") {
            step = "AUTH PLAIN"
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await expect(connection.command("AUTH PLAIN \(token)", step: step), step: step, codes: [235])
        } else if mechanisms.contains("LOGIN") {
            step = "AUTH LOGIN"
            try await expect(connection.command("AUTH LOGIN", step: step), step: step, codes: [334])
            let user = Data(username.utf8).base64EncodedString()
            try await expect(connection.command(user, step: step), step: step, codes: [334])
            let pass = Data(password.utf8).base64EncodedString()
            try await expect(connection.command(pass, step: step), step: step, codes: [235])
        } else {
            throw SMTPError.permanent("The server offers neither AUTH PLAIN nor AUTH LOGIN")
        }
    }

    private func expect(_ reply: SMTPResponse, step: String, codes: Set<Int>) throws {
        guard codes.contains(reply.code) else { throw SMTPError(step: step, response: reply) }
    }

    // MARK: - Helpers

    /// The DATA payload: line endings made CRLF, lines starting with "." get another ".",
    /// a final CRLF if missing, then the terminating ".".
    static func dataPayload(_ message: String, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        let dot = UInt8(ascii: ".")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(message.utf8.count + message.utf8.count / 50 + 8)
        var atLineStart = true
        var afterCR = false
        for byte in message.utf8 {
            if afterCR {
                afterCR = false
                if byte == lf { continue }  // CRLF was written when the CR came
            }
            switch byte {
            case cr:
                bytes.append(cr)
                bytes.append(lf)
                atLineStart = true
                afterCR = true
            case lf:
                bytes.append(cr)
                bytes.append(lf)
                atLineStart = true
            default:
                if atLineStart && byte == dot {
                    bytes.append(dot)
                }
                bytes.append(byte)
                atLineStart = false
            }
        }
        if !atLineStart {
            bytes.append(cr)
            bytes.append(lf)
        }
        bytes.append(contentsOf: [dot, cr, lf])
        var buffer = allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }

    private static func checkAddress(_ address: String, role: String, allowEmpty: Bool) throws {
        if address.isEmpty && allowEmpty { return }
        guard !address.isEmpty,
            !address.unicodeScalars.contains(where: {
                $0.value < 0x20 || $0.value == 0x7F || $0 == "<" || $0 == ">" || $0 == " "
            })
        else {
            throw SMTPError.permanent("Invalid \(role) address")
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanoseconds.overflow else { return .seconds(3600) }
        return .nanoseconds(max(1, nanoseconds.partialValue + attoseconds / 1_000_000_000))
    }

    /// Anything that is not already an `SMTPError` is a connection problem: transient.
    private static func smtpError(_ error: any Error, step: String) -> SMTPError {
        if let error = error as? SMTPError { return error }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return .connection("\(step): timed out")
        }
        return .connection("\(step): \(error)")
    }
}
