import Fluent
import Foundation
import SQLKit
import Vapor

/// `connect bench-digest [--members N] [--per-member N] [--batch N]`: measures the digest job.
/// Seeds N members (default 100,000), each with notifications waiting for their daily digest,
/// then runs the job once and prints its time, the digests written and the peak memory of the
/// run (the kernel's high-water mark is reset after seeding, so seeding does not count).
/// Use a fresh, empty database: scripts/bench-digest makes one.
struct BenchDigestCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "members", help: "Members with a digest waiting (default 100000)") var members: Int?
        @Option(name: "per-member", help: "Notifications waiting per member (default 3)") var perMember: Int?
        @Option(name: "batch", help: "Members per batch (default 500)") var batch: Int?
    }

    var help: String { "Measures the digest job for many members: time and peak memory." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = max(1, signature.members ?? 100_000)
        let perMember = max(1, signature.perMember ?? 3)
        let sql = app.db as! any SQLDatabase
        let now = app.connect.clock.now()

        let seedStart = ContinuousClock.now
        try await seed(members: count, perMember: perMember, on: app.db, sql: sql, now: now)
        context.console.print("Seeded \(count) members with \(count * perMember) waiting notifications in \(seconds(since: seedStart)) s.")

        resetPeakMemory()
        let before = Self.memory()
        var job = DigestJob(
            database: app.db, clock: app.connect.clock, localizer: app.connect.localizer,
            publicURL: app.connect.config.publicURL, defaultLocale: app.connect.config.defaultLocale)
        job.batchSize = max(1, signature.batch ?? 500)
        let runStart = ContinuousClock.now
        let figures = try await job.run()
        let elapsed = seconds(since: runStart)
        let after = Self.memory()
        let outbox = try await sql.raw("SELECT COUNT(*) AS n FROM outbox_mails").first()?.decode(column: "n", as: Int.self) ?? 0
        context.console.print(
            "Digest job: \(figures.digestsSent) digests for \(figures.membersSeen) members in \(figures.batches) batches of \(job.batchSize).")
        context.console.print(
            "Time: \(elapsed) s (\(String(format: "%.0f", Double(figures.digestsSent) / max(0.001, Double(elapsed) ?? 1))) digests/s). Outbox rows: \(outbox)."
        )
        context.console.print("Memory: RSS \(before.rss) MiB before, \(after.rss) MiB after; peak during the run \(after.peak) MiB.")
    }

    /// Members, one topic with a post, and notifications due for the daily digest, in batches.
    private func seed(members: Int, perMember: Int, on db: any Database, sql: any SQLDatabase, now: Date) async throws {
        let hash = try await Bcrypt.hash("bench-digest-not-a-login", cost: 4)
        let offset = try await sql.raw("SELECT COUNT(*) AS n FROM members").first()?.decode(column: "n", as: Int.self) ?? 0
        let authorID = UUID()
        try await sql.insert(into: "members")
            .columns("id", "email", "email_verified_at", "password_hash", "pseudonym", "pseudonym_key", "role", "time_zone", "created_at")
            .values(
                SQLBind(authorID), SQLBind("bench-author-\(offset)@example.org"), SQLBind(now), SQLBind(hash),
                SQLBind("BenchAuthor\(offset)"), SQLBind("benchauthor\(offset)"), SQLBind("member"), SQLBind("Europe/Amsterdam"), SQLBind(now)
            )
            .run()
        let category = try await sql.raw("SELECT id FROM categories ORDER BY position LIMIT 1").first()?.decode(column: "id", as: Int.self) ?? 1
        let topic = try await sql.raw(
            """
            INSERT INTO topics (category_id, author_id, title, created_at, last_activity_at, last_post_number, reply_count, pinned, closed, visible)
            VALUES (\(bind: category), \(bind: authorID), 'Een onderwerp voor de benchmark', \(bind: now), \(bind: now), 1, 0, \(bind: false), \(bind: false), \(bind: true))
            RETURNING id
            """
        ).first()!.decode(column: "id", as: Int.self)
        let post = try await ForumQueries.insertPost(
            topicID: topic, number: 1, authorID: authorID, markdown: "Hallo", html: "<p>Hallo</p>",
            screening: .screened, now: now, on: db)
        let kinds: [Notification.Kind] = [.reply, .watching, .mention, .reaction]
        let due = now.addingTimeInterval(-3_600)
        let batch = 400
        for start in stride(from: 0, to: members, by: batch) {
            try await db.transaction { db in
                let sql = db as! any SQLDatabase
                let memberInsert = sql.insert(into: "members")
                    .columns("id", "email", "email_verified_at", "password_hash", "pseudonym", "pseudonym_key", "role", "time_zone", "created_at")
                let noteInsert = sql.insert(into: "notifications")
                    .columns(
                        "id", "member_id", "kind", "topic_id", "post_id", "actor_id", "count", "created_at", "updated_at", "email_state",
                        "email_due_at")
                for i in start..<min(start + batch, members) {
                    let id = UUID()
                    let n = offset + i + 1
                    memberInsert.values(
                        SQLBind(id), SQLBind("bench-\(n)@example.org"), SQLBind(now), SQLBind(hash), SQLBind("Bench\(n)"),
                        SQLBind("bench\(n)"), SQLBind("member"), SQLBind("Europe/Amsterdam"), SQLBind(now))
                    for k in 0..<perMember {
                        noteInsert.values(
                            SQLBind(UUID()), SQLBind(id), SQLBind(kinds[(i + k) % kinds.count].rawValue), SQLBind(topic),
                            SQLBind(try post.requireID()), SQLBind(authorID), SQLBind(1), SQLBind(due), SQLBind(due),
                            SQLBind("daily"), SQLBind(due))
                    }
                }
                try await memberInsert.run()
                try await noteInsert.run()
            }
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> String {
        let d = ContinuousClock.now - start
        return String(format: "%.1f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// Resets the kernel's peak-RSS counter (VmHWM) for this process.
    private func resetPeakMemory() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    /// Current and peak resident memory in MiB, from /proc/self/status.
    static func memory() -> (rss: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func value(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return (Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
        }
        return (value("VmRSS:"), value("VmHWM:"))
    }
}
