import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Connects to PostgreSQL when DATABASE_URL is set, otherwise to data/connect.sqlite in WAL mode.
enum DatabaseSetup {
    /// `prepare: false` registers the database without a statement (for backup and restore).
    static func configure(_ app: Application, config: AppConfig, prepare: Bool = true) async throws {
        if let url = config.databaseURL {
            let postgres: SQLPostgresConfiguration
            do {
                postgres = try SQLPostgresConfiguration(url: url)
            } catch {
                throw ConfigError(variable: "DATABASE_URL", reason: "is not a valid postgres:// address")
            }
            var configuration = postgres
            if let schema = config.databaseSchema { configuration.searchPath = [schema] }
            app.databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: config.databasePoolSize), as: .psql)
            if prepare, let schema = config.databaseSchema {
                // The name was checked to be [a-z0-9_] when the configuration was read.
                try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA IF NOT EXISTS \(unsafeRaw: schema)").run()
            }
        } else {
            try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            let path = "\(config.dataDirectory)/connect.sqlite"
            app.databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: 1), as: .sqlite)
            guard prepare else { return }
            // WAL lets readers go on while one writer writes; it is a property of the file.
            _ = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
            // Per connection (one per event loop): a 32 MiB page cache instead of 8 MiB, so the
            // hot index pages of large tables stay in memory; NORMAL sync is safe with WAL (a
            // crash may lose the last commits, never corrupt the file). The driver has no hook for new
            // connections, so this reaches each loop's connection through its own pool.
            for loop in app.eventLoopGroup.makeIterator() {
                let db = app.databases.database(.sqlite, logger: app.logger, on: loop) as! any SQLDatabase
                for pragma in ["PRAGMA cache_size = -32768", "PRAGMA synchronous = NORMAL"] {
                    _ = try await db.raw(SQLQueryString(pragma)).all()
                }
            }
        }
    }
}
