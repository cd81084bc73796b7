import NIOCore
import NIOPosix
import NIOSSL

/// One open connection to the server: sends a command, waits (with a time limit) for the reply.
struct SMTPConnection: Sendable {
    let channel: any Channel
    let timeout: TimeAmount

    /// Connects, with TLS from the start when `implicitTLS` is given.
    static func connect(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        timeout: TimeAmount,
        implicitTLS: (context: NIOSSLContext, serverHostname: String?)?
    ) async throws -> SMTPConnection {
        guard let bootstrap = ClientBootstrap(validatingGroup: group) else {
            throw SMTPError.permanent("The event loop group cannot make TCP connections")
        }
        let channel =
            try await bootstrap
            .connectTimeout(timeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        let tlsHandler = try NIOSSLClientHandler(
                            context: implicitTLS.context, serverHostname: implicitTLS.serverHostname)
                        try channel.pipeline.syncOperations.addHandler(tlsHandler)
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPClientHandler())
                }
            }
            .connect(host: host, port: port)
            .get()
        return SMTPConnection(channel: channel, timeout: timeout)
    }

    /// Sends `kind` and returns the reply; `step` names the exchange in errors.
    func request(_ kind: SMTPClientRequest.Kind, step: String) async throws -> SMTPResponse {
        let promise = channel.eventLoop.makePromise(of: SMTPResponse.self)
        let channel = self.channel
        let seconds = Double(timeout.nanoseconds) / 1_000_000_000
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(SMTPError.connection("No reply to \(step) within \(seconds) seconds"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        // A write that never reaches the handler (the channel closed meanwhile) fails the request
        // at once instead of waiting for the timer.
        channel.writeAndFlush(SMTPClientRequest(kind: kind, promise: promise)).whenFailure { error in
            promise.fail(error)
        }
        return try await promise.futureResult.get()
    }

    /// Sends one command line (CRLF is added).
    func command(_ line: String, step: String) async throws -> SMTPResponse {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 2)
        buffer.writeString(line)
        buffer.writeString("\r\n")
        return try await request(.command(buffer), step: step)
    }

    func close() async {
        try? await channel.close()
    }
}
