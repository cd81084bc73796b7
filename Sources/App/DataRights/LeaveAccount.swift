import Fluent
import Vapor

/// Closing an account at the member's request, and undoing it within the grace period.
enum LeaveAccount {
    /// A login within this time after leaving restores the account.
    static let gracePeriod: TimeInterval = 7 * 86_400

    /// Closes the account at once: hidden everywhere, no mail, every session ended.
    static func close(_ member: Member, choice: LeaveChoice, on db: any Database, now: Date) async throws {
        let id = try member.requireID()
        try await db.transaction { db in
            member.closedAt = now
            member.leaveChoice = choice
            try await member.save(on: db)
            try await MemberSession.query(on: db).filter(\.$member.$id == id).delete()
            try await DataExport.query(on: db).filter(\.$memberID == id).delete()
            try await AuditEvent(actorID: id, action: "member.leave", subjectMemberID: id, detail: choice.rawValue, createdAt: now).create(on: db)
        }
    }

    /// Whether a closed account can still come back.
    static func canRestore(_ member: Member, now: Date) -> Bool {
        guard let closed = member.closedAt, member.erasedAt == nil else { return false }
        return now.timeIntervalSince(closed) < gracePeriod
    }

    /// Opens a closed account again, as if the member never left.
    static func restore(_ member: Member, on db: any Database, now: Date) async throws {
        let id = try member.requireID()
        try await db.transaction { db in
            member.closedAt = nil
            member.leaveChoice = nil
            try await member.save(on: db)
            try await AuditEvent(actorID: id, action: "member.return", subjectMemberID: id, detail: "", createdAt: now).create(on: db)
        }
    }
}
