import NIOCore
import NIOSSL

/// What `SMTPConnection` asks of `SMTPClientHandler`: send something (or nothing) and complete
/// `promise` with the server's next reply.
struct SMTPClientRequest: Sendable {
    enum Kind: Sendable {
        /// Send nothing; wait for the greeting the server sends on connecting.
        case awaitGreeting
        /// Send these bytes (one command line, or the whole DATA payload) and wait for the reply.
        case command(ByteBuffer)
        /// Send STARTTLS; on a 220 reply put a TLS handler at the front of the pipeline before
        /// anything else is read, so no byte is ever taken in plain text after the 220.
        case startTLS(NIOSSLContext, serverHostname: String?)
    }

    var kind: Kind
    var promise: EventLoopPromise<SMTPResponse>
}

/// Matches the server's replies with the requests written through the channel, one at a time
/// (no pipelining). Lives on the channel's event loop only.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPClientRequest
    typealias OutboundOut = ByteBuffer

    private var decoder = SMTPResponseDecoder()
    /// Requests whose reply has not come yet, oldest first.
    private var waiting = CircularBuffer<SMTPClientRequest>()
    /// Replies that came when nothing was waiting (the greeting, or an unsolicited 421).
    private var unclaimed = CircularBuffer<SMTPResponse>()
    /// Once set, the connection is unusable and every request fails with it.
    private var failure: (any Error)?

    init() {}

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }

        let bytes: ByteBuffer?
        switch request.kind {
        case .awaitGreeting:
            bytes = nil
        case .command(let buffer):
            bytes = buffer
        case .startTLS:
            bytes = context.channel.allocator.buffer(string: "STARTTLS\r\n")
        }

        if case .awaitGreeting = request.kind, waiting.isEmpty, let reply = unclaimed.popFirst() {
            request.promise.succeed(reply)
            promise?.succeed(())
            return
        }
        if let reply = unclaimed.popFirst() {
            // The server spoke out of turn; most likely "421 closing". Never carry on after that.
            let error: any Error =
                reply.code >= 400
                ? SMTPError(step: "The connection", response: reply)
                : SMTPError.connection("Unexpected reply from the server: \(reply.code) \(reply.text)")
            fail(with: error, context: context)
            request.promise.fail(error)
            promise?.fail(error)
            return
        }

        waiting.append(request)
        if let bytes {
            let writePromise = context.eventLoop.makePromise(of: Void.self)
            writePromise.futureResult.whenFailure { error in request.promise.fail(error) }
            if let promise {
                writePromise.futureResult.cascade(to: promise)
            }
            context.write(wrapOutboundOut(bytes), promise: writePromise)
        } else {
            promise?.succeed(())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard failure == nil else { return }
        let responses: [SMTPResponse]
        do {
            responses = try decoder.feed(unwrapInboundIn(data))
        } catch {
            fail(with: SMTPError.connection("\(error)"), context: context)
            return
        }

        for (index, response) in responses.enumerated() {
            guard let request = waiting.popFirst() else {
                unclaimed.append(response)
                continue
            }
            if case .startTLS(let sslContext, let serverHostname) = request.kind, response.code == 220 {
                // Anything after the 220 in plain text would be read as if it came over TLS
                // (the STARTTLS injection attack): refuse it.
                guard index == responses.count - 1, !decoder.hasBufferedBytes, waiting.isEmpty else {
                    let error = SMTPError.connection("The server sent data after its reply to STARTTLS")
                    request.promise.fail(error)
                    fail(with: error, context: context)
                    return
                }
                do {
                    let tlsHandler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                    try context.pipeline.syncOperations.addHandler(tlsHandler, position: .first)
                } catch {
                    let wrapped = SMTPError.connection("Could not start TLS: \(error)")
                    request.promise.fail(wrapped)
                    fail(with: wrapped, context: context)
                    return
                }
            }
            request.promise.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(SMTPError.connection("The server closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(with: error, context: context)
    }

    /// Fails everything waiting (and everything asked later) and closes the connection.
    private func fail(with error: any Error, context: ChannelHandlerContext) {
        guard failure == nil else { return }
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        if failure == nil {
            failure = error
        }
        while let request = waiting.popFirst() {
            request.promise.fail(error)
        }
    }
}

@available(*, unavailable)
extension SMTPClientHandler: Sendable {}
