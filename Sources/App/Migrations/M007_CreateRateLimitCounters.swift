import Fluent

/// Fixed-window counters shared by all processes through the database.
struct M007_CreateRateLimitCounters: AsyncMigration {
    var name: String { "M007_CreateRateLimitCounters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("rate_limit_counters")
            .field("bucket", .string, .required)
            .field("window_start", .int64, .required)
            .field("hits", .int, .required)
            .field("expires_at", .int64, .required)
            .unique(on: "bucket", "window_start", name: "uq_rate_limit_counters_bucket_window")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rate_limit_counters").delete()
    }
}
