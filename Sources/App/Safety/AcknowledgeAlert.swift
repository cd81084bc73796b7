import Fluent
import SQLKit
import Vapor

/// A moderator acknowledges a crisis alert with what was done. Only the first
/// acknowledgement counts: a conditional update, safe with two moderators at once.
struct AcknowledgeAlert {
    /// The moderator acts.
    let context: ServiceContext

    /// False when another moderator acknowledged it first.
    func run(_ alert: Alert, note: String) async throws -> Bool {
        let now = context.now
        let moderator = context.actor
        let alertID = try alert.requireID()
        return try await context.transaction { ctx in
            guard try await AlertRows.claimAcknowledgement(of: alertID, by: moderator.requireID(), note: note, now: now, on: ctx.db) else {
                return false
            }
            try await AuditEvent(
                actorID: moderator.id, action: "alert.acknowledge", subjectMemberID: alert.memberID, detail: alert.rulePattern,
                createdAt: now, target: "alert:\(alertID.uuidString)", reason: note
            ).create(on: ctx.db)
            // One thing, one action: the alert's crisis item leaves the queue with it.
            try await ReviewQueue.resolveLinked(
                toAlert: alertID, by: moderator.requireID(), outcome: .alertAcknowledged, reason: note, now: now, on: ctx.db)
            return true
        }
    }
}
