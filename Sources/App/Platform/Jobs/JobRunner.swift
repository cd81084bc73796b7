import Fluent
import Metrics
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// One piece of background work, run every `every` seconds at most.
struct BackgroundJob: Sendable {
    let name: String
    let every: TimeInterval
    let work: @Sendable () async throws -> Void
}

/// A round of background jobs. Each job is isolated: one that fails (an export, a digest) is
/// logged and the round goes on, so it can never keep a crisis alert from being escalated.
final class JobSchedule: @unchecked Sendable {
    let jobs: [BackgroundJob]
    private let lock = NIOLock()
    private var lastRun: [String: Date] = [:]

    init(_ jobs: [BackgroundJob]) { self.jobs = jobs }

    /// Runs every job that is due; returns the names of those that failed.
    @discardableResult
    func runDue(now: Date = Date(), logger: Logger) async -> [String] {
        var failed: [String] = []
        for job in jobs {
            let due = lock.withLock { now.timeIntervalSince(lastRun[job.name] ?? .distantPast) >= job.every }
            guard due else { continue }
            do {
                try await job.work()
                lock.withLock { lastRun[job.name] = now }
            } catch {
                failed.append(job.name)
                Counter(label: "connect_job_failures_total", dimensions: [("job", job.name)]).increment()
                logger.warning("Background job \(job.name) failed: \(String(describing: error))")
            }
        }
        return failed
    }

    /// The server's jobs, crisis escalation first.
    static func standard(for app: Application) -> JobSchedule {
        let services = app.connect
        let database = app.db
        let config = services.config
        let clock = services.clock
        let localizer = services.localizer
        let logger = app.logger
        return JobSchedule([
            BackgroundJob(name: "alert-escalation", every: 0) {
                try await AlertEscalation(database: database, config: config, localizer: localizer, clock: clock).runOnce()
            },
            BackgroundJob(name: "mail-delivery", every: 0) {
                try await MailDelivery(
                    database: database, transport: services.mailTransport, clock: clock,
                    from: (config.mailFromName, config.mailFromAddress), logger: logger
                ).runOnce()
            },
            // Scheduled news goes out on time; members hear of new items a batch at a time.
            BackgroundJob(name: "news-publishing", every: 0) {
                try await NewsPublishing(database: database, clock: clock).runOnce()
            },
            BackgroundJob(name: "data-export", every: 0) {
                try await DataExportJob(database: database, clock: clock, localizer: localizer).runOnce()
            },
            BackgroundJob(name: "notification-mail", every: 0) {
                try await NotificationMailer(
                    database: database, clock: clock, localizer: localizer,
                    publicURL: config.publicURL, defaultLocale: config.defaultLocale
                ).runOnce()
            },
            // Digests are due at most once a day per member: looking every minute is plenty.
            BackgroundJob(name: "digests", every: 60) {
                try await DigestJob(
                    database: database, clock: clock, localizer: localizer,
                    publicURL: config.publicURL, defaultLocale: config.defaultLocale
                ).run()
            },
            // Research invitations open within half a minute of being due; figures every ten.
            BackgroundJob(name: "research", every: 30) {
                try await ResearchJob(
                    database: database, clock: clock, localizer: localizer, publicURL: config.publicURL, defaultLocale: config.defaultLocale
                ).runOnce()
            },
            BackgroundJob(name: "rate-limit-prune", every: 3600) {
                try await RateLimiter(database: database as! any SQLDatabase, clock: clock).prune()
            },
            BackgroundJob(name: "account-cleanup", every: 3600) {
                try await AccountCleanup(database: database, clock: clock).run()
            },
            BackgroundJob(name: "export-prune", every: 3600) {
                try await DataExportJob(database: database, clock: clock, localizer: localizer).prune()
            },
            BackgroundJob(name: "account-erasure", every: 3600) {
                try await AccountErasure(database: database, clock: clock).run()
            },
        ])
    }
}

/// Runs the background jobs every few seconds while the server runs.
/// Stateless: any number of processes may run it against one database.
struct JobRunner: LifecycleHandler {
    final class State: @unchecked Sendable {
        // Guarded by the lock; only touched at start and shutdown.
        let lock = NIOLock()
        var task: Task<Void, Never>?
    }
    let state = State()

    func didBoot(_ app: Application) throws {
        let schedule = JobSchedule.standard(for: app)
        let logger = app.logger
        let interval = app.connect.config.jobInterval
        let task = Task {
            while !Task.isCancelled {
                await schedule.runDue(logger: logger)
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
        state.lock.withLock { state.task = task }
    }

    func shutdown(_ app: Application) {
        state.lock.withLock { state.task?.cancel() }
    }
}
