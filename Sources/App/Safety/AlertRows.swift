import Fluent
import SQLKit
import Vapor

/// Alerts with their member, post and acknowledger, for the alerts page (one query each list).
struct AlertRow: Sendable {
    let id: UUID
    let rulePattern: String
    let excerpt: String
    let createdAt: Date
    let memberID: UUID?
    let memberPseudonym: String?
    let topicID: Int?
    let postNumber: Int?
    let postID: Int?
    let acknowledgedAt: Date?
    let acknowledgedBy: String?
    let actionNote: String?
    let escalatedAt: Date?
}

enum AlertRows {
    /// Marks an alert acknowledged unless someone already did; true when this call did.
    static func claimAcknowledgement(of alertID: UUID, by moderatorID: UUID, note: String, now: Date, on db: any Database) async throws -> Bool {
        let rows = try await (db as! any SQLDatabase).raw(
            """
            UPDATE alerts SET acknowledged_by = \(bind: moderatorID), acknowledged_at = \(bind: now), action_note = \(bind: note)
            WHERE id = \(bind: alertID) AND acknowledged_at IS NULL RETURNING id
            """
        ).all()
        return rows.count == 1
    }

    static func load(open: Bool, on db: any Database) async throws -> [AlertRow] {
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT a.id, a.rule_pattern, a.excerpt, a.created_at, a.member_id, a.post_id, a.acknowledged_at, a.action_note, a.escalated_at,
                   m.pseudonym, p.topic_id, p.number, k.pseudonym AS acknowledger
            FROM alerts a LEFT JOIN members m ON m.id = a.member_id LEFT JOIN posts p ON p.id = a.post_id
            LEFT JOIN members k ON k.id = a.acknowledged_by
            WHERE a.acknowledged_at IS \(unsafeRaw: open ? "NULL" : "NOT NULL")
            ORDER BY a.created_at \(unsafeRaw: open ? "ASC" : "DESC") LIMIT 50
            """
        ).all()
        return try rows.map { row in
            AlertRow(
                id: try row.decode(column: "id", as: UUID.self),
                rulePattern: try row.decode(column: "rule_pattern", as: String.self),
                excerpt: try row.decode(column: "excerpt", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self),
                memberID: try row.decode(column: "member_id", as: UUID?.self),
                memberPseudonym: try row.decode(column: "pseudonym", as: String?.self),
                topicID: try row.decode(column: "topic_id", as: Int?.self),
                postNumber: try row.decode(column: "number", as: Int?.self),
                postID: try row.decode(column: "post_id", as: Int?.self),
                acknowledgedAt: try row.decode(column: "acknowledged_at", as: Date?.self),
                acknowledgedBy: try row.decode(column: "acknowledger", as: String?.self),
                actionNote: try row.decode(column: "action_note", as: String?.self),
                escalatedAt: try row.decode(column: "escalated_at", as: Date?.self))
        }
    }

    /// The number of alerts waiting, for the banner on every moderator page.
    static func openCount(on db: any Database) async throws -> Int {
        try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM alerts WHERE acknowledged_at IS NULL").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// Median seconds from alert to acknowledgement over the last 30 days; nil without data.
    static func medianTimeToAcknowledge(on db: any Database, now: Date) async throws -> TimeInterval? {
        let alerts = try await Alert.query(on: db).filter(\.$acknowledgedAt != nil)
            .filter(\.$createdAt >= now.addingTimeInterval(-30 * 86_400)).all()
        let waits = alerts.compactMap { alert in alert.acknowledgedAt.map { $0.timeIntervalSince(alert.createdAt) } }
        return median(waits)
    }
}

/// Sends an unacknowledged alert again, to the escalation address, once: the conditional
/// update claims it, so two server processes never both send it.
struct AlertEscalation {
    let database: any Database
    let config: AppConfig
    let localizer: Localizer
    let clock: any AppClock

    func runOnce() async throws {
        guard let recipient = config.alertEscalationEmail else { return }
        let now = clock.now()
        let due = now.addingTimeInterval(-Double(config.alertEscalationMinutes) * 60)
        let candidates = try await Alert.query(on: database).filter(\.$acknowledgedAt == nil).filter(\.$escalatedAt == nil)
            .filter(\.$createdAt <= due).limit(50).all()
        for alert in candidates {
            try await database.transaction { db in
                let claimed = try await (db as! any SQLDatabase).raw(
                    """
                    UPDATE alerts SET escalated_at = \(bind: now) WHERE id = \(bind: alert.requireID())
                      AND escalated_at IS NULL AND acknowledged_at IS NULL RETURNING id
                    """
                ).all()
                guard claimed.count == 1 else { return }
                // An alert on an introduction has no post: it escalates all the same.
                let post = try await alert.postID.asyncFlatMap { try await Post.find($0, on: db) }
                let member = try await Member.find(alert.memberID, on: db)
                let topic = try await post.asyncFlatMap { try await Topic.find($0.topicID, on: db) }
                let mail = AlertMails(localizer: localizer, locale: config.defaultLocale, publicURL: config.publicURL)
                    .alert(alert, pseudonym: member?.pseudonym ?? "?", topicTitle: topic?.title ?? "", post: post, escalation: true)
                try await Outbox.enqueue(mail, to: recipient, on: db, now: now)
                try await AuditEvent(
                    actorID: nil, action: "alert.escalate", subjectMemberID: alert.memberID, detail: "",
                    createdAt: now, target: "alert:\(try alert.requireID().uuidString)"
                ).create(on: db)
            }
        }
    }
}

extension Optional where Wrapped: Sendable {
    /// `flatMap` for an async transform.
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
