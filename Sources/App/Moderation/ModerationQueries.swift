import Fluent
import Foundation
import SQLKit

/// The review queue's writes that touch several items at once, in SQL.
enum ModerationQueries {
    /// An item resolved together with something else, for its audit entry.
    struct ResolvedItem: Sendable {
        let id: UUID
        let kind: ReviewItem.Kind
        let memberID: UUID?
    }

    /// The kinds a moderator's hiding or removing of a post deals with: members' reports and
    /// the rule hits on its text. A crisis item stays open (the person still needs someone to
    /// reach out, whatever became of the post), and so does a welcome.
    static let reportKinds: [ReviewItem.Kind] = [.flag, .trigger, .privacy]

    /// Resolves every open report on a post as "action taken", with why; one statement.
    static func resolveOpenReports(
        onPost postID: Int, by moderatorID: UUID, reason: String, now: Date, on db: any Database
    ) async throws -> [ResolvedItem] {
        try await resolve(
            where: "post_id = \(bind: postID) AND kind IN (\(binds: reportKinds.map(\.rawValue)))",
            outcome: .actionTaken, by: moderatorID, reason: reason, now: now, on: db)
    }

    /// Resolves the open queue items raised with an alert; one statement.
    static func resolveItems(
        ofAlert alertID: UUID, outcome: ReviewItem.Outcome, by moderatorID: UUID, reason: String, now: Date, on db: any Database
    ) async throws -> [ResolvedItem] {
        try await resolve(where: "alert_id = \(bind: alertID)", outcome: outcome, by: moderatorID, reason: reason, now: now, on: db)
    }

    private static func resolve(
        where condition: SQLQueryString, outcome: ReviewItem.Outcome, by moderatorID: UUID, reason: String, now: Date,
        on db: any Database
    ) async throws -> [ResolvedItem] {
        let rows = try await (db as! any SQLDatabase).raw(
            """
            UPDATE review_items SET resolved_by = \(bind: moderatorID), resolved_at = \(bind: now),
              outcome = \(bind: outcome.rawValue), outcome_reason = \(bind: reason)
            WHERE resolved_at IS NULL AND \(condition)
            RETURNING id, kind, member_id
            """
        ).all()
        return try rows.map { row in
            ResolvedItem(
                id: try row.decode(column: "id", as: UUID.self),
                kind: try row.decode(column: "kind", as: ReviewItem.Kind.self),
                memberID: try row.decode(column: "member_id", as: UUID?.self))
        }
    }
}
