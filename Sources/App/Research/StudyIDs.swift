import Foundation
import Vapor

/// The study IDs in exports: an HMAC-SHA256 of the member's id and the study's id with a secret
/// kept only on the server (RESEARCH_SECRET, else a key file in the data folder made on first
/// use, readable by this user alone). Stable across exports of one study, different between
/// studies, and not reversible without the secret; the secret is never in the database or an
/// export. Several servers share it through RESEARCH_SECRET.
struct StudyIDs: Sendable {
    let key: SymmetricKey

    func id(of memberID: UUID, in studyID: UUID) -> String {
        var message = Data()
        withUnsafeBytes(of: memberID.uuid) { message.append(contentsOf: $0) }
        withUnsafeBytes(of: studyID.uuid) { message.append(contentsOf: $0) }
        let code = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return "S" + SecureToken.hex(code.prefix(10))
    }

    static func load(_ config: AppConfig) throws -> StudyIDs {
        if let secret = config.researchSecret { return StudyIDs(key: SymmetricKey(data: Data(secret.utf8))) }
        let files = FileManager.default
        let path = config.dataDirectory.trimmingSuffix("/") + "/research-secret"
        if let stored = files.contents(atPath: path), stored.count >= 32 { return StudyIDs(key: SymmetricKey(data: stored)) }
        try files.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard files.createFile(atPath: path, contents: secret, attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "The research secret could not be stored")
        }
        // Another process may have written its own at the same moment: the file on disk wins.
        return StudyIDs(key: SymmetricKey(data: files.contents(atPath: path) ?? secret))
    }
}
