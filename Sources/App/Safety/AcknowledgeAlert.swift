import Fluent
import SQLKit
import Vapor

/// A moderator acknowledges a crisis alert with what was done and how it ended. Only the first
/// acknowledgement counts: a conditional update, safe with two moderators at once. The queue
/// item raised with the alert is resolved with it, with the same outcome and note: one crisis,
/// one act.
struct AcknowledgeAlert {
    enum Outcome {
        case acknowledged
        /// Another moderator acknowledged it first.
        case already
        case invalid(FormErrors)
    }

    /// The moderator acts.
    let context: ServiceContext

    func run(_ alert: Alert, note: String, outcome: ReviewItem.Outcome?) async throws -> Outcome {
        let alertID = try alert.requireID()
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FormErrors()
        if outcome.map(ReviewItem.Kind.crisis.outcomes.contains) != true {
            errors.add("outcome-\(alertID.uuidString)", "moderation_flow.alerts.error.outcome")
        }
        if note.isEmpty || note.count > ReviewDesk.reasonLimit { errors.add("note-\(alertID.uuidString)", "alerts.error.note") }
        guard errors.isEmpty, let outcome else { return .invalid(errors) }
        let now = context.now
        let moderator = context.actor
        let moderatorID = try moderator.requireID()
        return try await context.transaction { ctx in
            guard try await AlertRows.claimAcknowledgement(of: alertID, by: moderatorID, note: note, now: now, on: ctx.db) else {
                return .already
            }
            try await AuditEvent(
                actorID: moderatorID, action: "alert.acknowledge", subjectMemberID: alert.memberID, detail: alert.rulePattern,
                createdAt: now, target: "alert:\(alertID.uuidString)", reason: note, after: outcome.rawValue
            ).create(on: ctx.db)
            for item in try await ModerationQueries.resolveItems(
                ofAlert: alertID, outcome: outcome, by: moderatorID, reason: note, now: now, on: ctx.db)
            {
                try await AuditEvent(
                    actorID: moderatorID, action: "review.resolved_by_alert", subjectMemberID: item.memberID, detail: item.kind.rawValue,
                    createdAt: now, target: "review:\(item.id.uuidString)", reason: note, after: outcome.rawValue
                ).create(on: ctx.db)
            }
            return .acknowledged
        }
    }
}
