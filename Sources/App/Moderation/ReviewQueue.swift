import Fluent
import SQLKit
import Vapor

/// A queue entry with its post, member and claimer, for the queue page.
struct ReviewRow: Sendable {
    let id: UUID
    let kind: ReviewItem.Kind
    let summary: String
    let createdAt: Date
    let postID: Int?
    let topicID: Int?
    let postNumber: Int?
    let topicTitle: String?
    let excerptHTML: String?
    let memberID: UUID?
    let memberPseudonym: String?
    let claimedBy: String?
    let flagCount: Int
    /// The crisis alert raised with this item, if any.
    var alertID: UUID? = nil
}

/// The one queue of open review items by severity (`ReviewItem.Kind.priority`): crisis, "I am
/// worried about this person" and concerning words, privacy, rule reports, then first posts
/// awaiting a welcome; oldest first within each. One query per page.
struct ReviewQueue {
    let database: any Database
    static let pageSize = 50

    func load(page: Int) async throws -> (rows: [ReviewRow], more: Bool) {
        let offset = (max(1, page) - 1) * Self.pageSize
        let rows = try await (database as! any SQLDatabase).raw(
            """
            SELECT i.id, i.kind, i.summary, i.created_at, i.post_id, i.member_id, i.alert_id,
                   p.number, p.topic_id, p.body_html, t.title, m.pseudonym AS member_pseudonym, c.pseudonym AS claimer,
                   (SELECT COUNT(*) FROM flags f WHERE f.review_item_id = i.id) AS flag_count
            FROM review_items i
            LEFT JOIN posts p ON p.id = i.post_id LEFT JOIN topics t ON t.id = p.topic_id
            LEFT JOIN members m ON m.id = i.member_id LEFT JOIN members c ON c.id = i.claimed_by
            WHERE i.resolved_at IS NULL
            ORDER BY i.priority, i.created_at, i.id LIMIT \(bind: Self.pageSize + 1) OFFSET \(bind: offset)
            """
        ).all()
        let items = try rows.prefix(Self.pageSize).map { row in
            ReviewRow(
                id: try row.decode(column: "id", as: UUID.self),
                kind: try row.decode(column: "kind", as: ReviewItem.Kind.self),
                summary: try row.decode(column: "summary", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                postID: try row.decode(column: "post_id", as: Int?.self),
                topicID: try row.decode(column: "topic_id", as: Int?.self),
                postNumber: try row.decode(column: "number", as: Int?.self),
                topicTitle: try row.decode(column: "title", as: String?.self),
                excerptHTML: try row.decode(column: "body_html", as: String?.self),
                memberID: try row.decode(column: "member_id", as: UUID?.self),
                memberPseudonym: try row.decode(column: "member_pseudonym", as: String?.self),
                claimedBy: try row.decode(column: "claimer", as: String?.self),
                flagCount: try row.decode(column: "flag_count", as: Int.self),
                alertID: try row.decode(column: "alert_id", as: UUID?.self))
        }
        return (items, rows.count > Self.pageSize)
    }

    /// Open items per kind, for the dashboard.
    func openCounts() async throws -> [ReviewItem.Kind: Int] {
        let rows = try await (database as! any SQLDatabase).raw(
            """
            SELECT kind, COUNT(*) AS open FROM review_items WHERE resolved_at IS NULL GROUP BY kind
            """
        ).all()
        var counts = [ReviewItem.Kind: Int]()
        for row in rows {
            if let kind = ReviewItem.Kind(rawValue: try row.decode(column: "kind", as: String.self)) {
                counts[kind] = try row.decode(column: "open", as: Int.self)
            }
        }
        return counts
    }

    /// Resolves the open crisis items raised with an alert, as settled by acknowledging it.
    static func resolveLinked(
        toAlert alertID: UUID, by moderatorID: UUID, outcome: ReviewItem.Outcome, reason: String, now: Date, on db: any Database
    ) async throws {
        let resolved = try await (db as! any SQLDatabase).raw(
            """
            UPDATE review_items SET resolved_by = \(bind: moderatorID), resolved_at = \(bind: now), outcome = \(bind: outcome.rawValue),
                   outcome_reason = \(bind: reason)
            WHERE alert_id = \(bind: alertID) AND resolved_at IS NULL RETURNING id, member_id
            """
        ).all()
        for row in resolved { try await audit(row, by: moderatorID, outcome: outcome, reason: reason, now: now, on: db) }
    }

    /// Resolves the open reports (and word or privacy hits) on a post a moderator hid or
    /// removed: the action answered them. Their reporters read "the moderators took action".
    static func resolveReports(onPost postID: Int, by moderatorID: UUID, reason: String, now: Date, on db: any Database) async throws {
        let kinds = [ReviewItem.Kind.flag, .trigger, .privacy].map(\.rawValue)
        let resolved = try await (db as! any SQLDatabase).raw(
            """
            UPDATE review_items SET resolved_by = \(bind: moderatorID), resolved_at = \(bind: now),
                   outcome = \(bind: ReviewItem.Outcome.postTakenDown.rawValue), outcome_reason = \(bind: reason)
            WHERE post_id = \(bind: postID) AND resolved_at IS NULL AND kind IN (\(binds: kinds)) RETURNING id, member_id
            """
        ).all()
        for row in resolved { try await audit(row, by: moderatorID, outcome: .postTakenDown, reason: reason, now: now, on: db) }
    }

    private static func audit(
        _ row: any SQLRow, by moderatorID: UUID, outcome: ReviewItem.Outcome, reason: String, now: Date, on db: any Database
    ) async throws {
        try await AuditEvent(
            actorID: moderatorID, action: "review.resolve", subjectMemberID: try row.decode(column: "member_id", as: UUID?.self),
            detail: outcome.rawValue, createdAt: now, target: "review:\(try row.decode(column: "id", as: UUID.self).uuidString)",
            reason: reason, after: outcome.rawValue
        ).create(on: db)
    }
}
