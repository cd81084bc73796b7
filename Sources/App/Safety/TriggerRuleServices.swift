import Fluent
import Foundation
import TextRules

/// Adds a rule, or changes one, with an audit entry naming the before and after.
struct SaveTriggerRule {
    /// An admin acts.
    let context: ServiceContext

    /// `rule` is a new rule or a changed existing one (not yet saved).
    func run(_ rule: TriggerRule, before: String?) async throws {
        let now = context.now
        let actor = context.actor
        try await context.transaction { ctx in
            if rule.id == nil { rule.createdAt = now }
            rule.updatedAt = now
            try await rule.save(on: ctx.db)
            try await AuditEvent(
                actorID: actor.id, action: before == nil ? "trigger.create" : "trigger.update", subjectMemberID: nil, detail: "", createdAt: now,
                target: "trigger:\(try rule.requireID().uuidString)", before: before, after: Self.summary(rule)
            ).create(on: ctx.db)
        }
    }

    static func summary(_ rule: TriggerRule) -> String {
        let exceptions = rule.exceptionList.isEmpty ? "" : " unless " + rule.exceptionList.joined(separator: "; ")
        return "\(rule.pattern)\(exceptions) [\(rule.kind.rawValue): \(rule.actions)]"
    }
}

/// Switches a rule off or on.
struct ToggleTriggerRule {
    let context: ServiceContext

    func run(_ rule: TriggerRule) async throws {
        let now = context.now
        let actor = context.actor
        try await context.transaction { ctx in
            rule.active.toggle()
            rule.updatedAt = now
            try await rule.save(on: ctx.db)
            try await AuditEvent(
                actorID: actor.id, action: "trigger.toggle", subjectMemberID: nil, detail: "", createdAt: now,
                target: "trigger:\(try rule.requireID().uuidString)", before: rule.active ? "off" : "on", after: rule.active ? "on" : "off"
            ).create(on: ctx.db)
        }
    }
}

/// Rules from a CSV: new patterns are added, known ones updated.
struct ImportTriggerRules {
    let context: ServiceContext

    func run(_ entries: [DefaultLexicon.Entry]) async throws {
        let now = context.now
        let actor = context.actor
        try await context.transaction { ctx in
            for entry in entries {
                let rule = try await TriggerRule.query(on: ctx.db).filter(\.$pattern == entry.pattern).first() ?? TriggerRule()
                rule.take(entry)
                if rule.id == nil { rule.createdAt = now }
                rule.updatedAt = now
                try await rule.save(on: ctx.db)
            }
            try await AuditEvent(
                actorID: actor.id, action: "trigger.import", subjectMemberID: nil, detail: String(entries.count), createdAt: now, target: "triggers"
            ).create(on: ctx.db)
        }
    }
}

/// A moderator says a post should have raised an alert, or that its alert was a false alarm.
/// The text is kept only with the moderator's consent, and without names or contact details.
struct RecordTriggerFeedback {
    let context: ServiceContext

    func run(post: Post, author: Member?, kind: TriggerFeedback.Kind, keepText: Bool) async throws {
        let text = keepText ? FeedbackText.pseudonymise(post.bodyMarkdown, names: [author?.pseudonym].compactMap { $0 }) : nil
        let language = author?.locale?.rawValue ?? context.locale.rawValue
        let postID = try post.requireID()
        let now = context.now
        let actor = context.actor
        try await context.transaction { ctx in
            try await TriggerQueries(db: ctx.db).insertFeedback(
                postID: postID, kind: kind, text: text, language: language, by: try actor.requireID(), now: now)
            try await AuditEvent(
                actorID: actor.id, action: "trigger.feedback", subjectMemberID: nil, detail: kind.rawValue, createdAt: now,
                target: "post:\(postID)"
            ).create(on: ctx.db)
        }
    }
}

/// An admin turns a feedback entry into an evaluation sentence, or sets it aside.
struct HandleTriggerFeedback {
    let context: ServiceContext

    enum Outcome: Equatable {
        case done
        /// Someone settled it first.
        case alreadyHandled
    }

    func add(_ entry: TriggerFeedback, as sentence: EvaluationSentence) async throws -> Outcome {
        try await settle(entry, state: .added) { queries in
            try await queries.addEvaluationSentence(sentence, addedBy: try context.actor.requireID(), now: context.now)
        }
    }

    func dismiss(_ entry: TriggerFeedback) async throws -> Outcome {
        try await settle(entry, state: .dismissed) { _ in }
    }

    private func settle(
        _ entry: TriggerFeedback, state: TriggerFeedback.State, then write: @escaping @Sendable (TriggerQueries) async throws -> Void
    ) async throws -> Outcome {
        let now = context.now
        let actor = context.actor
        return try await context.transaction { ctx in
            let queries = TriggerQueries(db: ctx.db)
            guard try await queries.settleFeedback(id: entry.id, state: state, by: try actor.requireID(), now: now) else {
                return .alreadyHandled
            }
            try await write(queries)
            try await AuditEvent(
                actorID: actor.id, action: "trigger.feedback.\(state.rawValue)", subjectMemberID: nil, detail: entry.kind.rawValue,
                createdAt: now, target: "trigger-feedback:\(entry.id.uuidString)"
            ).create(on: ctx.db)
            return .done
        }
    }
}
