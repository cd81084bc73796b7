import Fluent
import Foundation
import NIOConcurrencyHelpers
import PostgresNIO
import SQLKit
import Vapor

/// What one node tells the others, and itself, when something they keep or show has changed.
///
/// Two kinds of signal:
/// - **sessions**: a form was sent or a member saved; every node empties its session cache
///   (`SessionCache`), so a logout or a role change on node A is seen on node B at once.
/// - **live keys** (`t:12` a topic, `c:7` a conversation): open live streams (`/live`) that
///   watch that key stop waiting and look now, so a reply on node A appears on node B's open
///   topic page within a second.
///
/// On PostgreSQL the signals travel by `NOTIFY` on a channel per schema, sent after the write
/// has committed; each node LISTENs on a connection of its own (`ClusterListener`). If that
/// connection drops, nothing is lost for good: live streams still look every few seconds and
/// the session cache still expires after `SESSION_CACHE_SECONDS`, and on reconnecting the node
/// empties its cache and wakes every stream, since it may have missed signals. SQLite is one
/// process: the signals stay local.
final class ClusterBus: Sendable {
    /// Tells this node's own messages from the others' (NOTIFY reaches the sender too).
    let nodeID = String(UUID().uuidString.prefix(8)).lowercased()
    let channel: String
    let usesPostgres: Bool
    let sessionCache: SessionCache
    let live = LiveSignals()
    /// How often this node's listener has (re)connected: for tests and the log.
    let listenerConnections = NIOLockedValueBox(0)

    init(config: AppConfig, sessionCache: SessionCache) {
        // The schema name was checked to be [a-z0-9_] when the configuration was read.
        channel = "connect_events" + (config.databaseSchema.map { "_" + $0 } ?? "")
        usesPostgres = config.databaseURL != nil
        self.sessionCache = sessionCache
    }

    static let sessionsKey = "s"

    /// Sessions or members may have changed: empty this node's cache now, the others' by NOTIFY.
    func sessionsChanged(on db: any Database, logger: Logger) async {
        sessionCache.invalidateAll()
        await broadcast([Self.sessionsKey], on: db, logger: logger)
    }

    /// New content under these keys: wake the streams watching them here and on every node.
    func changed(_ keys: [String], on db: any Database, logger: Logger) async {
        live.deliver(Set(keys))
        await broadcast(keys, on: db, logger: logger)
    }

    /// A signal from another node (or our own, which is ignored).
    func received(_ payload: String) {
        let parts = payload.split(separator: "|", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] != nodeID else { return }
        let keys = Set(parts[1].split(separator: ",").map(String.init))
        if keys.contains(Self.sessionsKey) { sessionCache.invalidateAll() }
        live.deliver(keys)
    }

    /// The listener (re)connected and may have missed signals.
    func resynchronise() {
        listenerConnections.withLockedValue { $0 += 1 }
        sessionCache.invalidateAll()
        live.deliverToAll()
    }

    private func broadcast(_ keys: [String], on db: any Database, logger: Logger) async {
        guard usesPostgres, !keys.isEmpty else { return }
        let payload = nodeID + "|" + keys.joined(separator: ",")
        do {
            _ = try await (db as! any SQLDatabase).raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").all()
        } catch {
            // The write itself stands; other nodes catch up within their stated bounds.
            logger.warning("Could not tell the other nodes (\(keys.joined(separator: ","))): \(String(describing: error))")
        }
    }
}

/// Live streams waiting for something they watch, woken early when it changes.
final class LiveSignals: Sendable {
    private struct Waiter {
        let keys: Set<String>
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var waiters: [UUID: Waiter] = [:]
        /// Woken (or given up) before the waiter was registered: it returns at once.
        var early: Set<UUID> = []
        /// The node is stopping: no stream waits any more.
        var closing = false
    }

    private let state = NIOLockedValueBox(State())

    /// Returns when one of `keys` is delivered, or after `seconds` (the fallback poll).
    func wait(for keys: Set<String>, upTo seconds: TimeInterval) async {
        let id = UUID()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000)) }
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in self.register(id, keys: keys, continuation) }
                } onCancel: {
                    self.wake(id)
                }
            }
            await group.next()
            group.cancelAll()
        }
        state.withLockedValue { _ = $0.early.remove(id) }
    }

    func deliver(_ keys: Set<String>) {
        let woken = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            let ids = state.waiters.filter { !$0.value.keys.isDisjoint(with: keys) }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in woken { continuation.resume() }
    }

    func deliverToAll() {
        let woken = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    var waiting: Int { state.withLockedValue { $0.waiters.count } }

    /// The node is stopping (SIGTERM): every stream ends now, so the server can drain within
    /// seconds instead of waiting out streams that last minutes; browsers reconnect to
    /// another node by themselves.
    func closeAll() {
        state.withLockedValue { $0.closing = true }
        deliverToAll()
    }

    var isClosing: Bool { state.withLockedValue { $0.closing } }

    private func register(_ id: UUID, keys: Set<String>, _ continuation: CheckedContinuation<Void, Never>) {
        let resumeNow = state.withLockedValue { state -> Bool in
            if state.early.remove(id) != nil || state.closing { return true }
            state.waiters[id] = Waiter(keys: keys, continuation: continuation)
            return false
        }
        if resumeNow { continuation.resume() }
    }

    private func wake(_ id: UUID) {
        let continuation = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter.continuation }
            state.early.insert(id)
            return nil
        }
        continuation?.resume()
    }
}

/// LISTENs for the other nodes' signals on a PostgreSQL connection of its own, reconnecting
/// with a growing pause (up to 5 s) when it drops.
final class ClusterListener: LifecycleHandler, Sendable {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let connection = NIOLockedValueBox<PostgresConnection?>(nil)

    func start(_ app: Application) {
        let bus = app.connect.cluster
        let config = app.connect.config
        let logger = app.logger
        let started = Task { [self] in
            var pause: TimeInterval = 0.1
            while !Task.isCancelled {
                var open: PostgresConnection?
                do {
                    let connection = try await PostgresSide.connect(app, config: config, label: "cluster-listener")
                    open = connection
                    self.connection.withLockedValue { $0 = connection }
                    let notifications = try await connection.listen(bus.channel)
                    bus.resynchronise()
                    pause = 0.1
                    for try await notification in notifications { bus.received(notification.payload) }
                } catch {
                    if !Task.isCancelled {
                        logger.warning("The cluster listener lost its connection; trying again in \(pause) s: \(String(reflecting: error))")
                    }
                }
                self.connection.withLockedValue { $0 = nil }
                // Closed on every path: PostgresNIO insists a connection is closed before it goes.
                if let open { try? await open.close() }
                if Task.isCancelled { break }
                try? await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
                pause = min(pause * 2, 5)
            }
        }
        task.withLockedValue { $0 = started }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLockedValue { $0 }?.cancel()
        if let open = connection.withLockedValue({ $0 }) { try? await open.close() }
        await task.withLockedValue { $0 }?.value
    }
}
