import ConsoleKitCommands
import Foundation
import Vapor

/// `connect research-tick [--now 2027-03-01T09:00:00Z]`: runs the research job once, as the
/// server does every half minute: plans waves, opens due ones, sends reminders, folds the
/// participation events and refreshes the figures. `--now` runs it as if it were that moment
/// (for operations after an outage, and for the browser tests; tests in Swift move the
/// injected clock instead).
struct ResearchTickCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "now", help: "The moment to run as, ISO 8601 (default: the server's clock)") var now: String?
    }

    var help: String { "Runs the research job once: invitations, reminders, participation figures." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var clock: any AppClock = app.connect.clock
        if let raw = signature.now {
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let at = ISO8601DateFormatter().date(from: raw) ?? fractional.date(from: raw) else {
                throw ConfigError(variable: "--now", reason: "must be an ISO 8601 time such as 2027-03-01T09:00:00Z")
            }
            clock = FixedClock(at)
        }
        let config = app.connect.config
        var job = ResearchJob(
            database: app.db, clock: clock, localizer: app.connect.localizer, publicURL: config.publicURL, defaultLocale: config.defaultLocale)
        job.wallClock = app.connect.clock
        let report = try await job.runOnce(catchUp: true)
        context.console.print(
            "Planned \(report.planned), opened \(report.opened), reminded \(report.reminded), emailed \(report.emailed); folded \(report.folded) participation events; refreshed \(report.figures) figures."
        )
    }
}

/// A clock that stands still at one moment.
struct FixedClock: AppClock {
    let moment: Date
    init(_ moment: Date) { self.moment = moment }
    func now() -> Date { moment }
}
