import Vapor

/// `connect backup --to FILE`: a consistent copy of the database while the server serves.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "The file to write (it must not exist yet)") var to: String?
    }

    var help: String { "Writes a consistent backup of the database while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.to, !path.isEmpty else { throw BackupError("Say where to write the backup: connect backup --to FILE") }
        let app = context.application
        let started = ContinuousClock.now
        let summary = try await DatabaseBackup(database: app.db, config: app.connect.config, logger: app.logger).backup(to: path)
        context.console.success(
            "Backed up \(summary.tables) tables to \(path) (\(summary.bytes) bytes) in \(BackupCommand.seconds(since: started)).")
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = (ContinuousClock.now - start).components
        return String(format: "%.1f s", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }
}

/// `connect restore --from FILE`: into an empty database only.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "A file written by connect backup") var from: String?
    }

    var help: String { "Restores a backup into an empty database (refuses one that holds data)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.from, !path.isEmpty else { throw BackupError("Say which backup to restore: connect restore --from FILE") }
        let app = context.application
        let started = ContinuousClock.now
        let summary = try await DatabaseBackup(database: app.db, config: app.connect.config, logger: app.logger).restore(from: path)
        context.console.success(
            "Restored \(summary.tables) tables from \(path) in \(BackupCommand.seconds(since: started)). Start the server to bring the schema up to date."
        )
    }
}
