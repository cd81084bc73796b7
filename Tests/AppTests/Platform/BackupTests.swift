import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Backups are taken while members write, and restore into an empty database only.
@Suite("Backups, restores and start-up migrations")
struct BackupTests {
    @Test("a backup taken while members reply restores elsewhere with every table, consistent topics and the same posts")
    func backupUnderLoad() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("connect-backup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = "\(folder)/connect.backup"

        try await withConnectApp { app in
            let seeded = try await DemoSeeder(
                plan: DemoPlan(members: 20, topics: 40, posts: 1_500, seed: 7), passwordHash: "x", now: app.connect.clock.now()
            )
            .run(on: app.db)
            #expect(seeded.posts == 1_500)
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let (bram, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            let before = try await Self.postFacts(app.db, upTo: Int.max)
            let untouched = try await Self.counts(app.db, ["members", "categories", "page_versions", "trigger_rules"])

            // Two members reply without pause while the backup runs; the backup starts once replies are flowing.
            let writing = NIOLockedValueBox(true)
            let written = NIOLockedValueBox(0)
            let load = Task {
                await withThrowingTaskGroup(of: Void.self) { group in
                    for browser in [anna, bram] {
                        group.addTask {
                            var n = 0
                            while writing.withLockedValue({ $0 }) {
                                n += 1
                                try await ForumSteps.reply(browser, topic: topic, body: "Nog een bericht tijdens de back-up, nummer \(n).")
                                written.withLockedValue { $0 += 1 }
                            }
                        }
                    }
                    while let result = await group.nextResult() {
                        if case .failure(let error) = result { Issue.record(error) }
                    }
                }
            }
            while written.withLockedValue({ $0 }) < 4 { try await Task.sleep(for: .milliseconds(5)) }
            let backup = DatabaseBackup(database: app.db, config: app.connect.config, logger: app.logger)
            let summary = try await backup.backup(to: file)
            writing.withLockedValue { $0 = false }
            await load.value
            #expect(summary.bytes > 0 && summary.tables > 30)
            let after = try await Self.postFacts(app.db, upTo: Int.max)
            #expect(after.count > before.count + 4, "members kept writing")
            await #expect(throws: BackupError.self, "a backup never overwrites another") { try await backup.backup(to: file) }

            // Restored into an empty database (PostgreSQL: a new one; SQLite: a new folder).
            let restoreDatabase = "connect_restore_\(UUID().uuidString.prefix(8).lowercased())"
            if testPostgresURL != nil {
                try await (app.db as! any SQLDatabase).raw("CREATE DATABASE \(ident: restoreDatabase)").run()
            }
            do {
                try await withConnectApp(
                    adjust: { config in
                        if let url = testPostgresURL {
                            config.databaseURL = Self.replacingDatabase(in: url, with: restoreDatabase)
                            config.databaseSchema = app.connect.config.databaseSchema
                        }
                    },
                    runtime: { $0.preparesDatabase = false }
                ) { restored in
                    let restorer = DatabaseBackup(database: restored.db, config: restored.connect.config, logger: restored.logger)
                    let result = try await restorer.restore(from: file)
                    #expect(result.tables == summary.tables)
                    #expect(try await Self.counts(restored.db, untouched.keys.sorted()) == untouched)
                    // One moment's snapshot: every reply begun before the backup is there, none is torn.
                    let facts = try await Self.postFacts(restored.db, upTo: Int.max)
                    #expect(facts.count > before.count && facts.count < after.count, "\(before.count) < \(facts.count) < \(after.count)")
                    let torn = try await (restored.db as! any SQLDatabase).raw(
                        """
                        SELECT COUNT(*) AS n FROM topics t
                        WHERE t.last_post_number <> (SELECT MAX(p.number) FROM posts p WHERE p.topic_id = t.id)
                        """
                    ).first()?.decode(column: "n", as: Int.self)
                    #expect(torn == 0, "every topic's last post number matches its posts")
                    // The posts that existed before the backup are the same, byte for byte.
                    #expect(try await Self.postFacts(restored.db, upTo: before.maxID).checksum == before.checksum)
                    // A database that holds data is never restored into.
                    await #expect(throws: BackupError.self) { try await restorer.restore(from: file) }
                }
            } catch {
                Issue.record(error)
            }
            if testPostgresURL != nil {
                try await (app.db as! any SQLDatabase).raw("DROP DATABASE IF EXISTS \(ident: restoreDatabase)").run()
            }
        }
    }

    @Test("a node that finds a migration it does not know refuses to start and says why; two nodes starting together migrate once")
    func newerSchemaAndConcurrentStart() async throws {
        // Two nodes start together on a new database: both come up, every migration runs once.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("connect-test-\(UUID().uuidString)").path
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        let sameDatabase: @Sendable (inout AppConfig) -> Void = { config in
            config.dataDirectory = directory
            if testPostgresURL != nil { config.databaseSchema = String(schema) }
        }
        async let first: Void = withConnectApp(adjust: sameDatabase, keepsDatabase: true) { _ in }
        async let second: Void = withConnectApp(adjust: sameDatabase, keepsDatabase: true) { _ in }
        _ = try await (first, second)
        try await withConnectApp(adjust: sameDatabase) { app in
            let sql = app.db as! any SQLDatabase
            let names = try await sql.raw("SELECT name FROM _fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) }
            let known = Migrations.all(config: app.connect.config, clock: app.connect.clock).map(\.name)
            #expect(names.sorted() == known.sorted(), "each migration once")
        }

        try await withConnectApp { app in
            let config = app.connect.config
            let sql = app.db as! any SQLDatabase
            try await sql.raw(
                "INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at) VALUES (\(bind: UUID()), 'M999_FromTheFuture', 99, NULL, NULL)"
            )
            .run()
            let unknown = try await SchemaMigration.unknownMigrations(
                on: app.db, config: config, known: Migrations.all(config: config, clock: app.connect.clock).map(\.name))
            #expect(unknown == ["M999_FromTheFuture"])
            let error = await #expect(throws: NewerSchemaError.self) {
                try await withConnectApp(
                    adjust: { adjusted in
                        adjusted.dataDirectory = config.dataDirectory
                        adjusted.databaseSchema = config.databaseSchema
                    }, keepsDatabase: true
                ) { _ in }
            }
            #expect(error?.description.contains("M999_FromTheFuture") == true)
            #expect(error?.description.contains("newer release") == true)
        }
    }

    // MARK: helpers

    struct PostFacts: Equatable {
        let count: Int
        let maxID: Int
        let checksum: String
    }

    /// The posts up to an id, folded into one SHA-256 in id order.
    static func postFacts(_ db: any Database, upTo maxID: Int) async throws -> PostFacts {
        let rows = try await (db as! any SQLDatabase).raw(
            "SELECT id, topic_id, number, body_markdown FROM posts WHERE id <= \(bind: maxID) ORDER BY id"
        ).all()
        var hasher = SHA256()
        var last = 0
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            let line =
                "\(id)|\(try row.decode(column: "topic_id", as: Int.self))|\(try row.decode(column: "number", as: Int.self))|"
                + (try row.decode(column: "body_markdown", as: String.self)) + "\n"
            hasher.update(data: Data(line.utf8))
            last = id
        }
        return PostFacts(count: rows.count, maxID: last, checksum: hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func counts(_ db: any Database, _ tables: [String]) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(
                column: "n", as: Int.self)
        }
        return counts
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }
}
