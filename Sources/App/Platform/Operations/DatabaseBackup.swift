import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Vapor

/// Consistent backups while the server serves, and restores into an empty database.
///
/// - SQLite: `VACUUM INTO` writes a compact copy from one read transaction. Under WAL a reader
///   never blocks the writer, so members keep posting; unlike the page-copying backup API
///   (which SQLiteNIO does not expose) it never restarts when a write lands mid-copy, and the
///   copy is a snapshot of one moment.
/// - PostgreSQL: `pg_dump` in custom format, which reads everything in one snapshot.
///
/// Both write to `FILE.partial` and rename it at the end, so a half-written file never looks
/// like a backup.
struct DatabaseBackup {
    let database: any Database
    let config: AppConfig
    let logger: Logger
    /// PG_DUMP / PG_RESTORE or the search path, for tests and unusual installs.
    var environment: [String: String] = ProcessInfo.processInfo.environment

    struct Summary: Sendable, Equatable {
        let bytes: Int
        let tables: Int
    }

    func backup(to path: String) async throws -> Summary {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw BackupError("\(path) already exists. Choose a new name: a backup never overwrites another.")
        }
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        let sql = database as! any SQLDatabase
        switch DatabaseDialect(database) {
        case .sqlite:
            try await sql.raw("VACUUM INTO \(bind: partial)").run()
        case .postgres:
            var arguments = ["--format=custom", "--no-password", "--file=\(partial)"]
            if let schema = config.databaseSchema { arguments.append("--schema=\(schema)") }
            try await run(tool: "pg_dump", arguments: arguments)
        }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Summary(bytes: bytes, tables: try await tableCount())
    }

    /// Restores into an empty database and refuses anything else: a restore never mixes two
    /// communities' data or overwrites a live one.
    func restore(from path: String) async throws -> Summary {
        guard FileManager.default.isReadableFile(atPath: path) else { throw BackupError("\(path) cannot be read.") }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        switch DatabaseDialect(database) {
        case .sqlite:
            try restoreSQLite(from: path)
            let sql = database as! any SQLDatabase
            let check = try await sql.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
            guard check == "ok" else { throw BackupError("The restored database failed SQLite's integrity check: \(check ?? "no answer").") }
        case .postgres:
            let tables = try await tableCount()
            guard tables == 0 else {
                throw BackupError(
                    "The database is not empty (\(tables) tables in its schema). Restore into a new, empty database or schema.")
            }
            if let schema = config.databaseSchema {
                // Start-up made the schema; the backup makes it again. DROP (not CASCADE) fails if it is not empty.
                try await (database as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(ident: schema)").run()
            }
            // pg_restore wants a database named; the rest of the connection comes from the environment.
            let name = config.databaseURL.flatMap { URLComponents(string: $0) }.map { String($0.path.drop { $0 == "/" }) } ?? ""
            try await run(
                tool: "pg_restore",
                arguments: ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password", "--dbname=\(name)", path])
        }
        let tables = try await tableCount()
        guard tables > 0 else { throw BackupError("\(path) held no tables: it is not a Depression Connect backup.") }
        return Summary(bytes: bytes, tables: tables)
    }

    /// The SQLite file is replaced before anything opens it (the restore command does not
    /// prepare the database), then read through the pool to check it.
    private func restoreSQLite(from path: String) throws {
        let target = "\(config.dataDirectory)/connect.sqlite"
        let manager = FileManager.default
        if let size = try? manager.attributesOfItem(atPath: target)[.size] as? Int, size > 0 {
            throw BackupError("\(target) exists and is not empty. Stop the server and move the file aside, then restore.")
        }
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 16) ?? Data()
        guard header == Data("SQLite format 3\0".utf8) else { throw BackupError("\(path) is not an SQLite backup.") }
        try manager.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        for leftover in [target, target + "-wal", target + "-shm", target + ".partial"] { try? manager.removeItem(atPath: leftover) }
        try manager.copyItem(atPath: path, toPath: target + ".partial")
        try manager.moveItem(atPath: target + ".partial", toPath: target)
    }

    func tableCount() async throws -> Int {
        let sql = database as! any SQLDatabase
        switch DatabaseDialect(database) {
        case .sqlite:
            return try await sql.raw("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").first()?.decode(column: "n", as: Int.self) ?? 0
        case .postgres:
            return try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM information_schema.tables
                WHERE table_schema = \(bind: config.databaseSchema ?? "public")
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    // MARK: PostgreSQL's own tools

    /// Runs pg_dump or pg_restore with the connection in libpq's environment variables, so the
    /// password never shows in the process list.
    private func run(tool: String, arguments: [String]) async throws {
        let executable = try Self.locate(tool, environment: environment)
        guard let url = config.databaseURL, let components = URLComponents(string: url) else {
            throw BackupError("DATABASE_URL is not a postgres:// address.")
        }
        var childEnvironment = environment
        childEnvironment["PGHOST"] = components.host ?? "localhost"
        childEnvironment["PGPORT"] = String(components.port ?? 5432)
        childEnvironment["PGUSER"] = components.user.flatMap { $0.removingPercentEncoding }
        childEnvironment["PGPASSWORD"] = components.password.flatMap { $0.removingPercentEncoding }
        childEnvironment["PGDATABASE"] = String(components.path.drop { $0 == "/" })
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" || $0.name == "tlsmode" })?.value {
            childEnvironment["PGSSLMODE"] = mode == "disable" ? "disable" : "require"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = childEnvironment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Read before waiting: a tool that fills the pipe would otherwise never end.
        let message = try await Task.detached { try errors.fileHandleForReading.readToEnd() ?? Data() }.value
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BackupError("\(tool) failed (exit \(process.terminationStatus)): \(text.prefix(2_000))")
        }
    }

    /// PG_DUMP / PG_RESTORE, then the PATH, then Debian's versioned folders (newest first).
    static func locate(_ tool: String, environment: [String: String]) throws -> String {
        let manager = FileManager.default
        if let given = environment[tool.uppercased()], !given.isEmpty {
            guard manager.isExecutableFile(atPath: given) else { throw BackupError("\(tool.uppercased())=\(given) is not an executable file.") }
            return given
        }
        let paths = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { "\($0)/\(tool)" }
        let versioned = ((try? manager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "/usr/lib/postgresql/\($0)/bin/\(tool)" }
        if let found = (paths + versioned).first(where: manager.isExecutableFile(atPath:)) { return found }
        throw BackupError(
            "\(tool) was not found (looked in PATH and /usr/lib/postgresql/*/bin). Install PostgreSQL's client tools "
                + "(Debian: apt-get install postgresql-client) or set \(tool.uppercased()) to its path.")
    }
}

struct BackupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
