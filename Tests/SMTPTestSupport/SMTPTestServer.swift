import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A real SMTP server on 127.0.0.1 (a free port) for tests of `SMTPClient` and of the mail outbox.
///
/// Speaks greeting, EHLO/HELO, STARTTLS (when given a TLS context), AUTH PLAIN and LOGIN,
/// MAIL, RCPT, DATA (removing dot-stuffing), RSET, NOOP and QUIT, and records every accepted
/// message. It can refuse the next N transactions with a given code.
public final class SMTPTestServer: Sendable {
    public struct ReceivedMail: Sendable, Equatable {
        public var from: String
        public var recipients: [String]
        /// The message as received, dot-stuffing removed, lines ending in CRLF.
        public var data: String
    }

    /// Where in a transaction a rejection is answered.
    public enum RejectionStage: Sendable {
        case mailFrom, rcptTo, data
    }

    public struct Options: Sendable {
        /// AUTH mechanisms advertised in EHLO; empty advertises no AUTH.
        public var authMechanisms: [String] = ["PLAIN", "LOGIN"]
        /// When set, AUTH must give these, and MAIL FROM is refused (530) without AUTH.
        public var credentials: (username: String, password: String)?
        /// When false, EHLO is refused with 502 (HELO still works).
        public var supportsEHLO = true
        /// When set, STARTTLS is advertised and works with this context.
        public var startTLS: NIOSSLContext?
        /// When set, the server speaks TLS from the first byte (smtps).
        public var implicitTLS: NIOSSLContext?
        /// The address to listen on (127.0.0.1 unless a test needs another loopback address).
        public var host = "127.0.0.1"
        /// Seconds to wait before answering EHLO (to test client timeouts).
        public var ehloDelay: TimeAmount = .zero
        /// The first reply; say "421 busy" to test a server that turns clients away.
        public var greeting = "220 test.invalid ESMTP SMTPTestServer"

        public init() {}
    }

    struct State: Sendable {
        var messages: [ReceivedMail] = []
        var rejections: (count: Int, code: Int, stage: RejectionStage) = (0, 0, .data)
        /// Every command verb received, with the mechanism for AUTH ("AUTH PLAIN"), in order.
        var commands: [String] = []
        /// Connections that finished TLS (STARTTLS or implicit).
        var tlsSessions = 0
    }

    public let port: Int
    public let options: Options
    private let channel: any Channel
    private let state: NIOLockedValueBox<State>

    private init(port: Int, options: Options, channel: any Channel, state: NIOLockedValueBox<State>) {
        self.port = port
        self.options = options
        self.channel = channel
        self.state = state
    }

    public static func start(
        options: Options = Options(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SMTPTestServer {
        let state = NIOLockedValueBox(State())
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = options.implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        SMTPTestSessionHandler(options: options, state: state))
                }
            }
            .bind(host: options.host, port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw SMTPTestServerError(message: "the server has no port")
        }
        return SMTPTestServer(port: port, options: options, channel: channel, state: state)
    }

    /// Messages accepted so far, oldest first.
    public func messages() -> [ReceivedMail] {
        state.withLockedValue { $0.messages }
    }

    /// Command verbs received so far ("EHLO", "AUTH LOGIN", "MAIL", …).
    public func commands() -> [String] {
        state.withLockedValue { $0.commands }
    }

    public var tlsSessions: Int {
        state.withLockedValue { $0.tlsSessions }
    }

    /// Refuses the next `count` transactions with `code` (say 451 or 550) at `stage`.
    public func rejectNext(_ count: Int, code: Int, at stage: RejectionStage = .data) {
        state.withLockedValue { $0.rejections = (count, code, stage) }
    }

    public func shutdown() async throws {
        try await channel.close()
    }
}

struct SMTPTestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { "SMTPTestServer: \(message)" }
}

/// One connection to the test server. Lives on its channel's event loop.
final class SMTPTestSessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase {
        case command
        case authPlain
        case authLoginUser
        case authLoginPassword(user: String)
        case data
    }

    private let options: SMTPTestServer.Options
    private let state: NIOLockedValueBox<SMTPTestServer.State>
    private var buffer = ByteBuffer()
    private var phase = Phase.command
    private var greeted = false
    private var authenticated = false
    private var tls = false
    private var from: String?
    private var recipients: [String] = []
    private var dataLines: [String] = []
    private var rejection: (code: Int, stage: SMTPTestServer.RejectionStage)?

    init(options: SMTPTestServer.Options, state: NIOLockedValueBox<SMTPTestServer.State>) {
        self.options = options
        self.state = state
        self.tls = options.implicitTLS != nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if tls {
            state.withLockedValue { $0.tlsSessions += 1 }
        }
        reply(context, options.greeting)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readableBytesView.startIndex + 1
            var bytes = buffer.readBytes(length: length)!
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            let line = String(decoding: bytes, as: UTF8.self)
            if handle(line, context: context) == .stop { return }
        }
        buffer.discardReadBytes()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private enum Next { case goOn, stop }

    private func handle(_ line: String, context: ChannelHandlerContext) -> Next {
        switch phase {
        case .data:
            if line == "." {
                phase = .command
                finishData(context)
            } else {
                dataLines.append(line.hasPrefix(".") ? String(line.dropFirst()) : line)
            }
            return .goOn
        case .authPlain:
            phase = .command
            checkPlain(line, context)
            return .goOn
        case .authLoginUser:
            phase = .authLoginPassword(user: decode(line) ?? "")
            reply(context, "334 UGFzc3dvcmQ6")
            return .goOn
        case .authLoginPassword(let user):
            phase = .command
            check(user: user, password: decode(line) ?? "", context)
            return .goOn
        case .command:
            return command(line, context)
        }
    }

    private func command(_ line: String, _ context: ChannelHandlerContext) -> Next {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let verb = parts.first?.uppercased() ?? ""
        let argument = parts.count > 1 ? parts[1] : ""
        let logged = verb == "AUTH" ? "AUTH \(argument.split(separator: " ").first.map(String.init)?.uppercased() ?? "")" : verb
        state.withLockedValue { $0.commands.append(logged) }

        switch verb {
        case "EHLO":
            guard options.supportsEHLO else {
                reply(context, "502 5.5.2 EHLO not implemented")
                return .goOn
            }
            greeted = true
            resetTransaction()
            var lines = ["test.invalid greets \(argument)", "8BITMIME", "PIPELINING"]
            if options.startTLS != nil && !tls { lines.append("STARTTLS") }
            if !options.authMechanisms.isEmpty { lines.append("AUTH " + options.authMechanisms.joined(separator: " ")) }
            lines.append("HELP")
            let text = lines.enumerated().map { index, text in
                "250\(index == lines.count - 1 ? " " : "-")\(text)"
            }.joined(separator: "\r\n")
            if options.ehloDelay > .zero {
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: options.ehloDelay) {
                    loopBound.value.0.reply(loopBound.value.1, text)
                }
            } else {
                reply(context, text)
            }
        case "HELO":
            greeted = true
            resetTransaction()
            reply(context, "250 test.invalid")
        case "STARTTLS":
            guard let tlsContext = options.startTLS, !tls else {
                reply(context, "502 5.5.1 STARTTLS not available")
                return .goOn
            }
            reply(context, "220 2.0.0 Ready to start TLS")
            // Forget anything sent in plain text after STARTTLS, and the session so far.
            buffer.clear()
            greeted = false
            authenticated = false
            resetTransaction()
            tls = true
            state.withLockedValue { $0.tlsSessions += 1 }
            do {
                try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext), position: .first)
            } catch {
                context.close(promise: nil)
            }
            return .stop
        case "AUTH":
            let words = argument.split(separator: " ").map(String.init)
            let mechanism = words.first?.uppercased() ?? ""
            guard options.authMechanisms.contains(mechanism) else {
                reply(context, "504 5.5.4 Unrecognized authentication type")
                return .goOn
            }
            if mechanism == "PLAIN" {
                if words.count > 1 {
                    checkPlain(words[1], context)
                } else {
                    phase = .authPlain
                    reply(context, "334 ")
                }
            } else {
                phase = .authLoginUser
                reply(context, "334 VXNlcm5hbWU6")
            }
        case "MAIL":
            guard greeted else { return bad(context, "503 5.5.1 Say EHLO first") }
            if options.credentials != nil && !authenticated {
                reply(context, "530 5.7.0 Authentication required")
                return .goOn
            }
            guard let address = path(argument, keyword: "FROM:") else { return bad(context, "501 5.5.4 Syntax: MAIL FROM:<address>") }
            resetTransaction()
            rejection = state.withLockedValue { state in
                guard state.rejections.count > 0 else { return nil }
                state.rejections.count -= 1
                return (state.rejections.code, state.rejections.stage)
            }
            if let rejection, rejection.stage == .mailFrom {
                reply(context, "\(rejection.code) Sender refused by the test server")
                self.rejection = nil
                return .goOn
            }
            from = address
            reply(context, "250 2.1.0 Ok")
        case "RCPT":
            guard from != nil else { return bad(context, "503 5.5.1 Need MAIL first") }
            guard let address = path(argument, keyword: "TO:"), !address.isEmpty else {
                return bad(context, "501 5.5.4 Syntax: RCPT TO:<address>")
            }
            if let rejection, rejection.stage == .rcptTo {
                reply(context, "\(rejection.code) Recipient refused by the test server")
                return .goOn
            }
            recipients.append(address)
            reply(context, "250 2.1.5 Ok")
        case "DATA":
            guard from != nil, !recipients.isEmpty else { return bad(context, "503 5.5.1 Need RCPT first") }
            phase = .data
            dataLines = []
            reply(context, "354 End data with <CR><LF>.<CR><LF>")
        case "RSET":
            resetTransaction()
            reply(context, "250 2.0.0 Ok")
        case "NOOP":
            reply(context, "250 2.0.0 Ok")
        case "QUIT":
            reply(context, "221 2.0.0 Bye")
            context.close(promise: nil)
            return .stop
        default:
            reply(context, "500 5.5.2 Command not recognized")
        }
        return .goOn
    }

    private func finishData(_ context: ChannelHandlerContext) {
        defer { resetTransaction() }
        if let rejection, rejection.stage == .data {
            reply(context, "\(rejection.code) Message refused by the test server")
            return
        }
        let data = dataLines.map { $0 + "\r\n" }.joined()
        let mail = SMTPTestServer.ReceivedMail(from: from ?? "", recipients: recipients, data: data)
        state.withLockedValue { $0.messages.append(mail) }
        reply(context, "250 2.0.0 Ok: queued")
    }

    private func checkPlain(_ token: String, _ context: ChannelHandlerContext) {
        guard let decoded = decode(token) else {
            reply(context, "501 5.5.2 Cannot decode response")
            return
        }
        let parts = decoded.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else {
            reply(context, "501 5.5.2 Malformed AUTH PLAIN")
            return
        }
        check(user: parts[1], password: parts[2], context)
    }

    private func check(user: String, password: String, _ context: ChannelHandlerContext) {
        if let expected = options.credentials, expected.username != user || expected.password != password {
            reply(context, "535 5.7.8 Authentication credentials invalid")
            return
        }
        authenticated = true
        reply(context, "235 2.7.0 Authentication successful")
    }

    private func decode(_ base64: String) -> String? {
        Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The address in `FROM:<a@b> BODY=8BITMIME`, or nil when the syntax is wrong.
    private func path(_ argument: String, keyword: String) -> String? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        let rest = argument.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
        guard rest.hasPrefix("<"), let end = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<end])
    }

    private func bad(_ context: ChannelHandlerContext, _ text: String) -> Next {
        reply(context, text)
        return .goOn
    }

    private func resetTransaction() {
        from = nil
        recipients = []
        dataLines = []
        rejection = nil
    }

    private func reply(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
    }
}

@available(*, unavailable)
extension SMTPTestSessionHandler: Sendable {}

extension SMTPTestServer {
    /// A self-signed certificate for localhost, 127.0.0.1 and ::1, valid 2020–2120 (test use only).
    static let testCertificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBbDCCAROgAwIBAgIUChcHlS27Y7WqM6SpN0kbXWVx880wCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAx
        MDAwMDAwWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAARMfa1wD474vdH+F7NzLZE0/eG1DDEdlPwCN/NHLQnbsFdr2nDiQLWg
        E0L0kU5hmaLxJvKO8TQo0pcggYY3UE3xo0EwPzAsBgNVHREEJTAjgglsb2NhbGhv
        c3SHBH8AAAGHEAAAAAAAAAAAAAAAAAAAAAEwDwYDVR0TAQH/BAUwAwEB/zAKBggq
        hkjOPQQDAgNHADBEAiBW+LjJ9RuI9Ko7jyXitP9oze26VIfcMUVgpb9GXZXy/gIg
        XzOxH70HbP40lUhbnchqWQJFh7McgR5TGl4ocWChyag=
        -----END CERTIFICATE-----
        """

    /// The private key of `testCertificatePEM` (test use only; it protects nothing).
    static let testPrivateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdsgEzceZWIvN/DZR
        VeQNf4BBCVkExLd3jarmhGrc74ShRANCAARMfa1wD474vdH+F7NzLZE0/eG1DDEd
        lPwCN/NHLQnbsFdr2nDiQLWgE0L0kU5hmaLxJvKO8TQo0pcggYY3UE3x
        -----END PRIVATE KEY-----
        """

    /// A server-side TLS context with the test certificate.
    public static func makeServerTLSContext() throws -> NIOSSLContext {
        let certificate = try NIOSSLCertificate(bytes: Array(testCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(testPrivateKeyPEM.utf8), format: .pem)
        return try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
    }

    /// A client-side TLS configuration that trusts only the test certificate.
    public static func makeClientTLSConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(testCertificatePEM.utf8), format: .pem)])
        return configuration
    }
}
