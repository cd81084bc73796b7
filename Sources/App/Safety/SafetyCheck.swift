import Fluent
import SQLKit
import TextRules
import Vapor

/// What the safety rules say about a text before it is saved.
struct SafetyOutcome: Sendable {
    var hits: [TriggerHit] = []
    /// The learned signal's probability, kept for the screening queue's summary.
    var modelProbability: Double?
    /// Likely personal details the author has not yet chosen to publish anyway.
    var privacy: [PrivacyScanner.Finding] = []
    /// The author saw the privacy nudge and chose to publish anyway.
    var privacyConfirmed = false

    func has(_ action: TriggerRule.Action) -> Bool { hits.contains { $0.actions.contains(action) } }
    var blocked: Bool { has(.block) }
    var held: Bool { has(.hold) }
    var showsHelp: Bool { has(.help) || has(.alert) }
    /// The privacy nudge stops publishing until the author confirms.
    var needsPrivacyConfirmation: Bool { !privacy.isEmpty && !privacyConfirmed }

    /// For a private message, which moderators do not read: a crisis still alerts them (with the
    /// matched words only) and shows the writer the crisis help; a blocking rule still blocks;
    /// the privacy nudge still asks. Nothing is held or put in the review queue to be read.
    func forPrivateMessage() -> SafetyOutcome {
        var outcome = self
        let kept: Set<TriggerRule.Action> = [.alert, .help, .block]
        outcome.hits = hits.compactMap { hit in
            let actions = hit.actions.intersection(kept)
            guard !actions.isEmpty else { return nil }
            return TriggerHit(
                ruleID: hit.ruleID, pattern: hit.pattern, kind: hit.kind, actions: actions, excerpt: hit.excerpt, matched: hit.matched,
                parts: hit.parts)
        }
        return outcome
    }

    /// For text nobody else reads (a private journal entry): no alert, review, hold, block or
    /// privacy nudge, because nobody would see what they protect; but the author still sees
    /// the crisis help when their own words match a crisis rule.
    func forTheAuthorAlone() -> SafetyOutcome {
        var outcome = SafetyOutcome()
        outcome.hits = hits.filter { $0.actions.contains(.help) || $0.actions.contains(.alert) }.map {
            TriggerHit(
                ruleID: $0.ruleID, pattern: $0.pattern, kind: $0.kind, actions: [.help], excerpt: $0.excerpt, matched: $0.matched, parts: $0.parts)
        }
        return outcome
    }
}

/// Scans a title and text against the trigger rules and the privacy scanner. Called by the
/// publishing path only (`Publisher`), so every kind of member text is checked alike.
struct SafetyCheck {
    let context: ServiceContext

    func evaluate(title: String = "", body: String, privacyConfirmed: Bool) async throws -> SafetyOutcome {
        let text = title.isEmpty ? body : title + "\n" + body
        var outcome = SafetyOutcome()
        let scan = try await context.triggers.scan(text, on: context.db)
        outcome.hits = scan.hits
        outcome.modelProbability = scan.modelProbability
        outcome.privacy = PrivacyScanner.scan(text)
        outcome.privacyConfirmed = privacyConfirmed
        return outcome
    }
}

/// Writes what a safety outcome asks for, inside the transaction that saves the post: the
/// alert, its mails in the durable outbox, and review items. A crash cannot separate them.
/// `post` is nil for text that is not a post (an introduction shown on the profile).
struct SafetyWrites {
    /// A context on the publishing transaction; its actor is the author.
    let context: ServiceContext

    /// `reviewable`: false for text moderators may not read (a private message): no review item
    /// for a confirmed privacy nudge, only the crisis alert.
    func apply(_ outcome: SafetyOutcome, post: Post?, topicTitle: String, reviewable: Bool = true) async throws {
        guard !outcome.hits.isEmpty || (outcome.privacyConfirmed && !outcome.privacy.isEmpty) else { return }
        let db = context.db
        let now = context.now
        let author = context.actor
        let postID = post?.id
        let authorID = try author.requireID()
        if let crisis = outcome.hits.first(where: { $0.actions.contains(.alert) }) {
            let alert = Alert()
            alert.postID = postID
            alert.memberID = authorID
            alert.rulePattern = crisis.pattern
            alert.excerpt = crisis.excerpt
            alert.createdAt = now
            try await alert.create(on: db)
            try await ReviewItem(
                kind: .crisis, postID: postID, memberID: authorID, summary: crisis.pattern, createdAt: now, alertID: alert.requireID()
            )
            .create(on: db)
            let config = context.services.config
            let mail = AlertMails(localizer: context.services.localizer, locale: config.defaultLocale, publicURL: config.publicURL)
                .alert(alert, pseudonym: author.pseudonym, topicTitle: topicTitle, post: post, escalation: false)
            for recipient in try await Self.alertRecipients(config: config, on: db) {
                try await Outbox.enqueue(mail, to: recipient, on: db, now: now)
            }
        } else if let flagged = outcome.hits.first(where: { $0.actions.contains(.flag) || $0.actions.contains(.hold) }) {
            let kind: ReviewItem.Kind = flagged.kind == .privacy ? .privacy : .trigger
            let summary = flagged.ruleID == nil ? "\(flagged.pattern) \(flagged.matched)" : flagged.pattern
            try await ReviewItem(kind: kind, postID: postID, memberID: authorID, summary: summary, createdAt: now).create(on: db)
        }
        if reviewable && outcome.privacyConfirmed && !outcome.privacy.isEmpty {
            let summary = outcome.privacy.map(\.kind.rawValue).joined(separator: ", ")
            try await ReviewItem(kind: .privacy, postID: postID, memberID: authorID, summary: summary, createdAt: now).create(on: db)
        }
    }

    /// The moderators' mailbox and every moderator now on shift (their own address), once each.
    static func alertRecipients(config: AppConfig, on db: any Database) async throws -> [String] {
        var recipients: [String] = []
        if let mailbox = config.moderatorAlertEmail { recipients.append(mailbox.lowercased()) }
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT DISTINCT m.email FROM shifts s JOIN members m ON m.id = s.moderator_id WHERE s.ended_at IS NULL
            """
        ).all()
        for row in rows {
            let email = try row.decode(column: "email", as: String.self).lowercased()
            if !recipients.contains(email) { recipients.append(email) }
        }
        return recipients
    }
}
