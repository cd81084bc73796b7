import Fluent
import Vapor

/// A member's request for a copy of their data, built in the background into a ZIP that can
/// be downloaded until it expires.
final class DataExport: Model, @unchecked Sendable {
    static let schema = "data_exports"

    enum Status: String, Codable, Sendable {
        case queued, building, ready, failed
    }

    /// How long a finished export can be downloaded.
    static let lifetime: TimeInterval = 48 * 3_600

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "status") var status: Status
    /// 0–100, for the progress bar while building.
    @Field(key: "progress") var progress: Int
    @OptionalField(key: "content") var content: Data?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// Until the export is built this is when a stuck request is given up.
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(memberID: UUID, now: Date) {
        self.memberID = memberID
        self.status = .queued
        self.progress = 0
        self.createdAt = now
        self.expiresAt = now.addingTimeInterval(Self.lifetime)
    }

    func isDownloadable(at now: Date) -> Bool { status == .ready && expiresAt > now && content != nil }
}
