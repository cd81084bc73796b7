import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Vapor

/// Runs the background work (mail delivery, pruning) every few seconds while the server runs.
/// Stateless: any number of processes may run it against one database.
struct JobRunner: LifecycleHandler {
    final class State: @unchecked Sendable {
        // Guarded by the lock; only touched at start and shutdown.
        let lock = NIOLock()
        var task: Task<Void, Never>?
    }
    let state = State()

    func didBoot(_ app: Application) throws {
        let services = app.connect
        let logger = app.logger
        let database = app.db
        let interval = services.config.jobInterval
        let task = Task {
            var lastPrune = Date.distantPast
            var lastDigest = Date.distantPast
            while !Task.isCancelled {
                do {
                    try await MailDelivery(
                        database: database, transport: services.mailTransport, clock: services.clock,
                        from: (services.config.mailFromName, services.config.mailFromAddress), logger: logger
                    ).runOnce()
                    try await AlertEscalation(database: database, config: services.config, localizer: services.localizer,
                                              clock: services.clock).runOnce()
                    try await DataExportJob(database: database, clock: services.clock, localizer: services.localizer).runOnce()
                    let config = services.config
                    try await NotificationMailer(database: database, clock: services.clock, localizer: services.localizer,
                                                 publicURL: config.publicURL, defaultLocale: config.defaultLocale).runOnce()
                    // Digests are due at most once a day per member: looking every minute is plenty.
                    if Date().timeIntervalSince(lastDigest) > 60 {
                        try await DigestJob(database: database, clock: services.clock, localizer: services.localizer,
                                            publicURL: config.publicURL, defaultLocale: config.defaultLocale).run()
                        lastDigest = Date()
                    }
                    if Date().timeIntervalSince(lastPrune) > 3600 {
                        try await RateLimiter(database: database as! any SQLDatabase, clock: services.clock).prune()
                        try await AccountCleanup(database: database, clock: services.clock).run()
                        try await DataExportJob(database: database, clock: services.clock, localizer: services.localizer).prune()
                        try await AccountErasure(database: database, clock: services.clock).run()
                        lastPrune = Date()
                    }
                } catch {
                    logger.warning("Background job failed: \(String(describing: error))")
                }
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
        state.lock.withLock { state.task = task }
    }

    func shutdown(_ app: Application) {
        state.lock.withLock { state.task?.cancel() }
    }
}
