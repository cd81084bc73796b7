import SQLKit
import Vapor

/// Fixed-window counters in the database, so every process sees the same counts.
struct RateLimiter: Sendable {
    let database: any SQLDatabase
    let clock: any AppClock

    /// Counts one attempt; throws `AppError.rateLimited` once the rule's limit is passed.
    func hit(_ bucket: String, _ rule: RateLimits.Rule) async throws {
        let now = clock.now().timeIntervalSince1970
        let window = Int64(rule.window)
        let windowStart = Int64(now) / window * window
        let row = try await database.raw(
            """
            INSERT INTO rate_limit_counters (bucket, window_start, hits, expires_at)
            VALUES (\(bind: bucket), \(bind: windowStart), 1, \(bind: windowStart + window))
            ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
            RETURNING hits
            """
        ).first()
        let hits = try row?.decode(column: "hits", as: Int.self) ?? 1
        if hits > rule.limit {
            throw AppError.rateLimited(retryAfter: max(1, Int(windowStart + window - Int64(now))))
        }
    }

    /// Forgets windows that have ended.
    func prune() async throws {
        let now = Int64(clock.now().timeIntervalSince1970)
        try await database.raw("DELETE FROM rate_limit_counters WHERE expires_at < \(bind: now)").run()
    }
}

extension Request {
    var rateLimiter: RateLimiter {
        RateLimiter(database: db as! any SQLDatabase, clock: connect.clock)
    }

    /// The client's address: the socket peer, or X-Forwarded-For when TRUST_PROXY is set.
    /// The last address of the header is the one our proxy added; any before it came from the
    /// client and could be anything (reading the first let anyone pick a fresh address per
    /// request and walk past every rate limit).
    var clientIP: String {
        if connect.config.trustProxy,
            let forwarded = headers[.xForwardedFor].last?
                .split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !forwarded.isEmpty
        {
            return forwarded
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
