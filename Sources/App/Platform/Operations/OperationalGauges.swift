import Fluent
import Foundation
import SQLKit

/// What the team must hear about before members do, read from the database at each scrape
/// (so every node reports the same community-wide figures): mail that is not leaving, posts
/// nobody has screened, crisis alerts nobody has picked up.
struct OperationalGauges: Sendable {
    var outboxDepth = 0
    var outboxOldestAgeSeconds: Double = 0
    var outboxFailed = 0
    var unscreenedPosts = 0
    var unscreenedOldestAgeSeconds: Double = 0
    var screeningCoverage: Double?
    var alertsUnacknowledged = 0
    var alertsOldestUnacknowledgedAgeSeconds: Double = 0

    static func load(on database: any Database, now: Date) async throws -> OperationalGauges {
        var gauges = OperationalGauges()
        let row = try await OperationsQueries.outboxAndAlerts(on: database)
        gauges.outboxDepth = try row?.decode(column: "outbox_depth", as: Int.self) ?? 0
        gauges.outboxFailed = try row?.decode(column: "outbox_failed", as: Int.self) ?? 0
        gauges.alertsUnacknowledged = try row?.decode(column: "alerts_open", as: Int.self) ?? 0
        if let oldest = try row?.decode(column: "outbox_oldest", as: Date?.self) {
            gauges.outboxOldestAgeSeconds = max(0, now.timeIntervalSince(oldest))
        }
        if let oldest = try row?.decode(column: "alerts_oldest", as: Date?.self) {
            gauges.alertsOldestUnacknowledgedAgeSeconds = max(0, now.timeIntervalSince(oldest))
        }
        // The moderation dashboard's own figures: one rule for "unscreened".
        let screening = try await ScreeningFigures.load(on: database, now: now)
        gauges.unscreenedPosts = screening.unscreened
        if let oldest = screening.oldestUnscreenedAt { gauges.unscreenedOldestAgeSeconds = max(0, now.timeIntervalSince(oldest)) }
        gauges.screeningCoverage = screening.coverage
        return gauges
    }

    /// Prometheus text format, appended to the registry's output.
    var prometheusText: String {
        var out = ""
        func gauge(_ name: String, _ help: String, _ value: Double) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n"
        }
        gauge("connect_outbox_depth", "Mails waiting to be sent (not yet sent, not given up).", Double(outboxDepth))
        gauge("connect_outbox_oldest_age_seconds", "Age of the oldest mail waiting to be sent; 0 when none waits.", outboxOldestAgeSeconds)
        gauge("connect_outbox_failed", "Mails given up after every attempt.", Double(outboxFailed))
        gauge("connect_unscreened_posts", "Posts no moderator has screened yet.", Double(unscreenedPosts))
        gauge("connect_unscreened_oldest_age_seconds", "Age of the oldest unscreened post; 0 when none waits.", unscreenedOldestAgeSeconds)
        if let screeningCoverage {
            gauge("connect_screening_coverage_ratio", "Share of the last 30 days' posts screened within 12 hours.", screeningCoverage)
        }
        gauge("connect_alerts_unacknowledged", "Crisis alerts no moderator has acknowledged.", Double(alertsUnacknowledged))
        gauge(
            "connect_alerts_oldest_unacknowledged_age_seconds", "Age of the oldest unacknowledged crisis alert; 0 when none is open.",
            alertsOldestUnacknowledgedAgeSeconds)
        return out
    }
}

/// The operations pages' SQL.
enum OperationsQueries {
    /// The outbox and the open alerts, in one statement.
    static func outboxAndAlerts(on database: any Database) async throws -> (any SQLRow)? {
        try await (database as! any SQLDatabase).raw(
            """
            SELECT
              (SELECT COUNT(*) FROM outbox_mails WHERE sent_at IS NULL AND failed_at IS NULL) AS outbox_depth,
              (SELECT MIN(created_at) FROM outbox_mails WHERE sent_at IS NULL AND failed_at IS NULL) AS outbox_oldest,
              (SELECT COUNT(*) FROM outbox_mails WHERE failed_at IS NOT NULL) AS outbox_failed,
              (SELECT COUNT(*) FROM alerts WHERE acknowledged_at IS NULL) AS alerts_open,
              (SELECT MIN(created_at) FROM alerts WHERE acknowledged_at IS NULL) AS alerts_oldest
            """
        ).first()
    }
}
