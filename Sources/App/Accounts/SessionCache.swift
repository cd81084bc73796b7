import FluentKit
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// The session lookup's row (session, member, header counts), kept in memory for a few seconds
/// so a member reading page after page does not pay a database query for each.
///
/// Correct before fast:
/// - Every form sent to this server (any request but GET and HEAD) empties the cache when it
///   ends, so a logout, a role change, a suspension, new settings or read notifications are
///   seen by the next page on this server.
/// - A lookup that began before such a write cannot store what it read: entries carry the
///   cache's generation from before their query and count only while it has not moved.
/// - Everything else (another server's writes, a background job, a notification for this
///   member written by someone else's request) is seen within `ttl`: the stated bound.
/// - Expiry and suspension are checked against the clock on every request, cached or not.
///
/// Ages are measured on the application's clock (the caller passes `now`), so tests move the
/// bound with their manual clock instead of racing the wall clock under load.
final class SessionCache: Sendable {
    let ttl: TimeInterval
    private let maxEntries: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var generation: UInt64 = 0
        var entries: [String: Entry] = [:]
    }

    private struct Entry {
        let row: any SQLRow
        let storedAt: Date
        let generation: UInt64
    }

    init(ttl: TimeInterval, maxEntries: Int = 20_000) {
        self.ttl = ttl
        self.maxEntries = maxEntries
    }

    var isEnabled: Bool { ttl > 0 }

    /// Taken before the database is read; hand it back to `store`.
    var generation: UInt64 { state.withLockedValue { $0.generation } }

    func row(for key: String, now: Date) -> (any SQLRow)? {
        guard isEnabled else { return nil }
        return state.withLockedValue { state in
            guard let entry = state.entries[key] else { return nil }
            let age = now.timeIntervalSince(entry.storedAt)
            guard entry.generation == state.generation, age >= 0, age < ttl else {
                state.entries[key] = nil
                return nil
            }
            return entry.row
        }
    }

    func store(_ row: any SQLRow, for key: String, readAt generation: UInt64, now: Date) {
        guard isEnabled else { return }
        state.withLockedValue { state in
            guard generation == state.generation else { return }
            // A flood of distinct sessions cannot grow memory without bound.
            if state.entries.count >= maxEntries { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(row: row, storedAt: now, generation: generation)
        }
    }

    func forget(_ key: String) {
        state.withLockedValue { $0.entries[key] = nil }
    }

    /// Something may have changed a session or a member: nothing cached before now counts.
    func invalidateAll() {
        state.withLockedValue { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}

/// Any saved change to a member on this server (a setting, a key being enrolled, a role, on a
/// page or in a job) empties the session cache, whatever the request's method.
/// Other nodes hear of it too (inside a transaction, PostgreSQL delivers the NOTIFY at commit).
struct SessionCacheInvalidation: AsyncModelMiddleware {
    let cluster: ClusterBus

    func create(model: Member, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        await cluster.sessionsChanged(on: db, logger: db.logger)
    }

    func update(model: Member, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        await cluster.sessionsChanged(on: db, logger: db.logger)
    }

    func delete(model: Member, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        await cluster.sessionsChanged(on: db, logger: db.logger)
    }
}
