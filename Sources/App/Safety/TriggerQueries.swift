import Fluent
import Foundation
import SQLKit
import TextRules

/// The SQL of the trigger rules' evaluation set and the moderators' feedback on them.
struct TriggerQueries {
    let db: any Database
    private var sql: any SQLDatabase { db as! any SQLDatabase }

    /// The evaluation set: the repository's sentences and those the admins added, oldest first.
    func evaluationSentences() async throws -> [EvaluationSentence] {
        try await sql.raw("SELECT language, label, topic, text FROM trigger_evaluation ORDER BY created_at, id").all().map { row in
            EvaluationSentence(
                language: try row.decode(column: "language", as: String.self),
                label: try row.decode(column: "label", as: EvaluationSentence.Label.self),
                topic: try row.decode(column: "topic", as: String.self), text: try row.decode(column: "text", as: String.self))
        }
    }

    func addEvaluationSentence(_ sentence: EvaluationSentence, addedBy: UUID, now: Date) async throws {
        try await sql.insert(into: "trigger_evaluation")
            .columns("id", "language", "label", "topic", "text", "origin", "added_by", "created_at")
            .values(
                SQLBind(UUID()), SQLBind(sentence.language), SQLBind(sentence.label.rawValue), SQLBind(sentence.topic),
                SQLBind(sentence.text), SQLBind("moderators"), SQLBind(addedBy), SQLBind(now)
            )
            .run()
    }

    func insertFeedback(postID: Int?, kind: TriggerFeedback.Kind, text: String?, language: String, by moderator: UUID, now: Date) async throws {
        try await sql.insert(into: "trigger_feedback")
            .columns("id", "post_id", "kind", "text", "language", "reported_by", "created_at", "state")
            .values(
                SQLBind(UUID()), SQLBind(postID), SQLBind(kind.rawValue), SQLBind(text), SQLBind(language), SQLBind(moderator), SQLBind(now),
                SQLBind(TriggerFeedback.State.open.rawValue)
            )
            .run()
    }

    /// Open entries, oldest first, with the reporting moderator's pseudonym.
    func openFeedback(limit: Int = 100) async throws -> [TriggerFeedback] {
        try await sql.raw(
            """
            SELECT f.id, f.post_id, f.kind, f.text, f.language, f.created_at, f.state, m.pseudonym
            FROM trigger_feedback f LEFT JOIN members m ON m.id = f.reported_by
            WHERE f.state = \(bind: TriggerFeedback.State.open.rawValue)
            ORDER BY f.created_at, f.id LIMIT \(literal: limit)
            """
        ).all().map(Self.feedback)
    }

    func openFeedbackCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM trigger_feedback WHERE state = \(bind: TriggerFeedback.State.open.rawValue)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    func feedback(id: UUID) async throws -> TriggerFeedback? {
        try await sql.raw(
            """
            SELECT f.id, f.post_id, f.kind, f.text, f.language, f.created_at, f.state, m.pseudonym
            FROM trigger_feedback f LEFT JOIN members m ON m.id = f.reported_by WHERE f.id = \(bind: id)
            """
        ).first().map(Self.feedback)
    }

    /// Settles an open entry; false when someone else settled it first.
    func settleFeedback(id: UUID, state: TriggerFeedback.State, by admin: UUID, now: Date) async throws -> Bool {
        let rows = try await sql.raw(
            """
            UPDATE trigger_feedback SET state = \(bind: state.rawValue), handled_by = \(bind: admin), handled_at = \(bind: now)
            WHERE id = \(bind: id) AND state = \(bind: TriggerFeedback.State.open.rawValue) RETURNING id
            """
        ).all()
        return !rows.isEmpty
    }

    private static func feedback(_ row: any SQLRow) throws -> TriggerFeedback {
        TriggerFeedback(
            id: try row.decode(column: "id", as: UUID.self), postID: try row.decode(column: "post_id", as: Int?.self),
            kind: try row.decode(column: "kind", as: TriggerFeedback.Kind.self), text: try row.decode(column: "text", as: String?.self),
            language: try row.decode(column: "language", as: String.self), reportedBy: try row.decode(column: "pseudonym", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            state: try row.decode(column: "state", as: TriggerFeedback.State.self))
    }
}
