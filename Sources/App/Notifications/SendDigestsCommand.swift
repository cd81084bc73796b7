import ConsoleKitCommands
import Fluent
import SQLKit
import Vapor

/// `connect send-digests [--due-now]`: runs the digest job once, as the server does every
/// minute. With `--due-now` every waiting digest is treated as due (for an operator who wants
/// them out now, and for the browser tests, which cannot wait for 08:00).
struct SendDigestsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @ConsoleKitCommands.Flag(name: "due-now", help: "Send every waiting digest now, whatever its scheduled time") var dueNow: Bool
    }

    var help: String { "Sends the daily and weekly digests that are due." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let now = app.connect.clock.now()
        if signature.dueNow {
            try await (app.db as! any SQLDatabase).raw(
                """
                UPDATE notifications SET email_due_at = \(bind: now) WHERE email_state IN ('daily', 'weekly')
                """
            ).run()
        }
        let config = app.connect.config
        let figures = try await DigestJob(
            database: app.db, clock: app.connect.clock, localizer: app.connect.localizer,
            publicURL: config.publicURL, defaultLocale: config.defaultLocale
        ).run()
        context.console.print("Queued \(figures.digestsSent) digests for \(figures.membersSeen) members; the server's mail job sends them.")
    }
}
