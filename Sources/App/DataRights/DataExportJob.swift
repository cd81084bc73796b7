import Fluent
import SQLKit
import Vapor

/// Builds requested exports in the background, one at a time, writing progress as it goes so
/// the member's page can show how far it is.
struct DataExportJob: Sendable {
    let database: any Database
    let clock: any AppClock
    let localizer: Localizer

    /// Builds the oldest waiting export, if any; returns whether it built one.
    @discardableResult
    func runOnce() async throws -> Bool {
        // Claim with a conditional UPDATE so two servers never build the same export.
        let sql = database as! any SQLDatabase
        let lock = DatabaseDialect(database).skipLockedClause
        guard
            let row = try await sql.raw(
                """
                UPDATE data_exports SET status = 'building', progress = 5
                WHERE id IN (SELECT id FROM data_exports WHERE status = 'queued' ORDER BY created_at LIMIT 1\(unsafeRaw: lock))
                RETURNING id, member_id
                """
            ).first()
        else { return false }
        let id = try row.decode(column: "id", as: UUID.self)
        let memberID = try row.decode(column: "member_id", as: UUID.self)
        do {
            let contents = try await ExportContents.gather(memberID: memberID, on: database) { percent in
                try await DataExport.query(on: database).filter(\.$id == id).set(\.$progress, to: percent).update()
            }
            guard let contents, let member = try await Member.find(memberID, on: database) else {
                try await DataExport.query(on: database).filter(\.$id == id).set(\.$status, to: .failed).update()
                return true
            }
            let now = clock.now()
            let zip = try archive(contents, exportID: id, now: now, locale: member.locale ?? .nl)
            try await DataExport.query(on: database).filter(\.$id == id)
                .set(\.$content, to: zip).set(\.$status, to: .ready).set(\.$progress, to: 100)
                .set(\.$finishedAt, to: now).set(\.$expiresAt, to: now.addingTimeInterval(DataExport.lifetime))
                .update()
        } catch {
            try await DataExport.query(on: database).filter(\.$id == id).set(\.$status, to: .failed).update()
            throw error
        }
        return true
    }

    /// Streams the ZIP to a file in a folder only this process may read, keeps its bytes for the
    /// export row, and removes the folder: the copy lives in the database alone.
    private func archive(_ contents: ExportContents, exportID: UUID, now: Date, locale: AppLocale) throws -> Data {
        let files = FileManager.default
        let folder = files.temporaryDirectory.appendingPathComponent("connect-export-\(exportID.uuidString)", isDirectory: true)
        try? files.removeItem(at: folder)
        try files.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? files.removeItem(at: folder) }
        let file = folder.appendingPathComponent("export.zip")
        try contents.writeArchive(to: file, now: now, localizer: localizer, locale: locale)
        return try Data(contentsOf: file)
    }

    /// Expired archives are deleted: a copy of someone's data does not linger.
    func prune() async throws {
        try await DataExport.query(on: database).filter(\.$expiresAt < clock.now()).delete()
    }
}
