import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Background jobs run one by one, each isolated from the others' failures.
@Suite("Background jobs", .serialized)
struct JobScheduleTests {
    struct ExportBroke: Error {}

    @Test("a failing job does not keep crisis alerts from being escalated in the same round")
    func failureIsIsolated() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock, adjust: Fixtures.alertMailboxes) { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await anna.post("/t/new", [("category", "living-with-depression"), ("title", "Het gaat niet"), ("body", "I want to die")])
            #expect(try await Alert.query(on: app.db).count() == 1)
            clock.advance(by: 31 * 60)
            let standard = JobSchedule.standard(for: app)
            // A job that always fails, placed first, and a later one that must still run.
            let broken = BackgroundJob(name: "broken-export", every: 0) { throw ExportBroke() }
            let schedule = JobSchedule([broken] + standard.jobs.filter { $0.name == "alert-escalation" })
            let failed = await schedule.runDue(now: clock.now(), logger: app.logger)
            #expect(failed == ["broken-export"])
            #expect(try await OutboxMail.query(on: app.db).filter(\.$recipient == "escalation@example.org").count() == 1)
            // The standard schedule names escalation first, before any job that could be slow.
            #expect(standard.jobs.first?.name == "alert-escalation")
        }
    }
}
