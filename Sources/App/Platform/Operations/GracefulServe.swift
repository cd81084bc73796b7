import Foundation
import NIOConcurrencyHelpers
import Vapor

/// `connect` / `connect serve`: serves until SIGTERM or SIGINT, then stops without failing a
/// request it has begun.
///
/// Vapor's own serve command closes every connection whose request has been read when the
/// signal comes, even while its response is still being made: during a rolling restart that
/// cut replies in half (nginx: "upstream prematurely closed connection"). Here the order is:
/// the signal ends the live streams, the requests in flight finish (at most
/// `drainSeconds`), and only then does the HTTP server close its connections.
public enum GracefulServe {
    public static let drainSeconds: TimeInterval = 10

    /// Whether these arguments (after the executable) ask for the server.
    public static func isServe(_ arguments: [String]) -> Bool {
        guard let first = arguments.first else { return true }
        return first == "serve" || (first.hasPrefix("-") && first != "--help" && first != "-h")
    }

    public static func run(_ app: Application, arguments: [String]) async throws {
        var configuration = app.http.server.configuration
        var options = arguments.first == "serve" ? Array(arguments.dropFirst()) : arguments
        while !options.isEmpty {
            let flag = options.removeFirst()
            guard let value = options.first else { throw ConfigError(variable: flag, reason: "needs a value") }
            options.removeFirst()
            switch flag {
            case "--hostname", "-H": configuration.hostname = value
            case "--port", "-p":
                guard let port = Int(value), (1...65_535).contains(port) else { throw ConfigError(variable: flag, reason: "must be a port number") }
                configuration.port = port
            case "--bind", "-b":
                let parts = value.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, let port = Int(parts[1]) else { throw ConfigError(variable: flag, reason: "must be host:port") }
                configuration.hostname = String(parts[0])
                configuration.port = port
            default: throw ConfigError(variable: flag, reason: "is not an option of serve (--hostname, --port, --bind)")
            }
        }
        app.http.server.configuration = configuration

        let stop = StopSignal()
        try await app.asyncBoot()
        try await app.server.start(address: .hostname(configuration.hostname, port: configuration.port))
        await stop.wait()

        app.logger.notice("Stopping: ending live streams, finishing \(app.connect.inFlight.count) requests in flight")
        app.connect.cluster.live.closeAll()
        await app.connect.inFlight.waitUntilIdle(upTo: drainSeconds)
        await app.server.shutdown()
        app.logger.notice("Stopped")
    }
}

/// SIGTERM or SIGINT, once.
private final class StopSignal: @unchecked Sendable {
    // Set up once in init, cancelled once in wait.
    private var sources: [any DispatchSourceSignal] = []
    private let fired = NIOLockedValueBox<(done: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    init() {
        for number in [SIGTERM, SIGINT] {
            // Ignored by default so the process is not killed; the dispatch source still sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [fired] in
                let waiter = fired.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                    state.done = true
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
            source.resume()
            sources.append(source)
        }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = fired.withLockedValue { state -> Bool in
                if state.done { return true }
                state.waiter = continuation
                return false
            }
            if now { continuation.resume() }
        }
        for source in sources { source.cancel() }
    }
}

/// Requests being answered, for the drain at shutdown. Counted by `InFlightRequests.Counting`,
/// the outermost middleware; a streamed body (a live stream) counts until its response is returned.
final class InFlightRequests: Sendable {
    private let state = NIOLockedValueBox(0)

    var count: Int { state.withLockedValue { $0 } }

    func waitUntilIdle(upTo seconds: TimeInterval) async {
        let deadline = Date().addingTimeInterval(seconds)
        while count > 0 && Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
    }

    struct Counting: AsyncMiddleware {
        let requests: InFlightRequests

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            requests.state.withLockedValue { $0 += 1 }
            defer { requests.state.withLockedValue { $0 -= 1 } }
            return try await next.respond(to: request)
        }
    }
}
