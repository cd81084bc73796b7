import Fluent
import FluentPostgresDriver
import Foundation
import PostgresNIO
import SQLKit
import Vapor

/// Brings the schema up to date at start-up, safely when several nodes start together.
///
/// - On PostgreSQL the migrations run under an advisory lock held on a connection of its own:
///   the first node migrates, the others wait, then find nothing left to do. A node that dies
///   while holding it releases it with its connection.
/// - A node refuses to start on a database that a newer release has migrated (it finds a
///   migration it does not know): writing to a schema it does not understand could lose data.
enum SchemaMigration {
    static func run(_ app: Application, config: AppConfig, known: [String]) async throws {
        if config.databaseURL != nil {
            // One pooled connection holds the lock and runs every migration: no connection of
            // its own (dozens of test apps start at once), and the lock lives exactly as long
            // as the work. A node that dies drops it with the connection.
            let key = lockKey(schema: config.databaseSchema)
            try await app.db.withConnection { connection in
                let sql = connection as! any SQLDatabase
                try await sql.raw("SELECT pg_advisory_lock(\(bind: key))").run()
                do {
                    try await refuseNewerSchema(app, on: connection, config: config, known: known)
                    let migrator = Migrator(databaseFactory: { _ in connection }, migrations: app.migrations, on: connection.eventLoop)
                    try await migrator.setupIfNeeded().flatMap { migrator.prepareBatch() }.get()
                } catch {
                    try? await sql.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
                    throw error
                }
                try await sql.raw("SELECT pg_advisory_unlock(\(bind: key))").run()
            }
        } else {
            // SQLite: a lock file beside the database, held while migrating; the kernel drops it
            // with the process. Taken on the thread pool: waiting must not block an event loop.
            let path = "\(config.dataDirectory)/migrations.lock"
            let descriptor = open(path, O_CREAT | O_RDWR, 0o600)
            guard descriptor >= 0 else { throw ConfigError(variable: "DATA_DIR", reason: "is not writable (the migration lock file cannot be made)") }
            defer { close(descriptor) }
            try await app.threadPool.runIfActive { _ = flock(descriptor, LOCK_EX) }
            defer { _ = flock(descriptor, LOCK_UN) }
            try await refuseNewerSchema(app, on: app.db, config: config, known: known)
            try await app.autoMigrate()
        }
    }

    /// The migrations this database has run that this release does not know.
    static func unknownMigrations(on database: any Database, config: AppConfig, known: [String]) async throws -> [String] {
        let sql = database as! any SQLDatabase
        let exists: Bool
        if config.databaseURL != nil {
            exists =
                try await sql.raw("SELECT to_regclass('_fluent_migrations') IS NOT NULL AS present").first()?.decode(
                    column: "present", as: Bool.self) ?? false
        } else {
            exists =
                try await sql.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'")
                .first()?.decode(column: "n", as: Int.self) ?? 0 > 0
        }
        guard exists else { return [] }
        let known = Set(known)
        let applied = try await sql.raw("SELECT name FROM _fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) }
        return applied.filter { !known.contains($0) }.sorted()
    }

    static func refuseNewerSchema(_ app: Application, on database: any Database, config: AppConfig, known: [String]) async throws {
        let unknown = try await unknownMigrations(on: database, config: config, known: known)
        guard unknown.isEmpty else { throw NewerSchemaError(migrations: unknown) }
    }

    /// One lock per schema, so communities (and test runs) sharing a database do not wait for each other.
    static func lockKey(schema: String?) -> Int64 {
        // FNV-1a: stable across processes and releases, unlike Swift's seeded Hasher.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "depression-connect-migrations:\(schema ?? "")".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}

/// A database that a newer release has migrated: this one stops instead of writing to it.
public struct NewerSchemaError: Error, CustomStringConvertible {
    public let migrations: [String]
    public var description: String {
        "The database has been upgraded by a newer release of Depression Connect (it has run "
            + migrations.joined(separator: ", ")
            + ", which this release does not know). This node stops so it cannot write to a schema it does not understand: "
            + "start the newer release, or restore a backup taken before the upgrade."
    }
}

/// A PostgreSQL connection of its own, outside the pool: for LISTEN, which holds its
/// connection for as long as the node runs.
enum PostgresSide {
    static func connect(_ app: Application, config: AppConfig, label: String) async throws -> PostgresConnection {
        guard let url = config.databaseURL else { throw ConfigError(variable: "DATABASE_URL", reason: "is not set") }
        let postgres: SQLPostgresConfiguration
        do {
            postgres = try SQLPostgresConfiguration(url: url)
        } catch {
            throw ConfigError(variable: "DATABASE_URL", reason: "is not a valid postgres:// address")
        }
        var logger = app.logger
        logger[metadataKey: "connection"] = .string(label)
        let connection = try await PostgresConnection.connect(
            on: app.eventLoopGroup.any(), configuration: postgres.coreConfiguration, id: 0, logger: logger
        ).get()
        if let schema = config.databaseSchema {
            do {
                // The name was checked to be [a-z0-9_] when the configuration was read.
                _ = try await connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \(schema)"), logger: logger).get()
            } catch {
                try? await connection.close()
                throw error
            }
        }
        return connection
    }
}
