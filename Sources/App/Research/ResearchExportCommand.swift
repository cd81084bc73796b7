import Foundation
import Vapor

/// `connect research-export --study ID --to FILE.zip`: the pseudonymised export of a study
/// written to a file, as a researcher downloads it (for operations and `scripts/bench-research`).
/// Recorded in the audit log like every export.
struct ResearchExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "study", help: "The study's id") var study: String?
        @Option(name: "to", help: "Where to write the ZIP") var to: String?
    }

    var help: String { "Writes a study's pseudonymised export to a ZIP file." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let raw = signature.study, let id = UUID(uuidString: raw), let study = try await Study.find(id, on: app.db) else {
            throw ConfigError(variable: "--study", reason: "must name an existing study by its id")
        }
        guard let target = signature.to, !target.isEmpty else { throw ConfigError(variable: "--to", reason: "must name the ZIP file to write") }
        let files = FileManager.default
        let folder = files.temporaryDirectory.appendingPathComponent("connect-research-\(UUID().uuidString)", isDirectory: true)
        try files.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? files.removeItem(at: folder) }
        let now = app.connect.clock.now()
        let export = ResearchExport(db: app.db, ids: try StudyIDs.load(app.connect.config), localizer: app.connect.localizer)
        let (zip, counts) = try await export.write(study: study, now: now, into: folder)
        try? files.removeItem(atPath: target)
        try files.moveItem(at: zip, to: URL(fileURLWithPath: target))
        try await AuditEvent(
            actorID: nil, action: "research.export", subjectMemberID: nil,
            detail: "command: participants \(counts.participants), responses \(counts.responses), weeks \(counts.weeks)", createdAt: now,
            target: "study:\(id.uuidString)"
        ).create(on: app.db)
        context.console.print("Wrote \(target): \(counts.participants) participants, \(counts.responses) answers, \(counts.weeks) member-weeks.")
    }
}
