import Fluent
import SQLKit
import Vapor

/// A moderator's actions on a member: a message from the team, a warning, silence (read-only
/// for a while), suspension (no login), lifting them, and a logged look at contact details.
struct MemberModeration {
    /// The moderator acts.
    let context: ServiceContext
    private var moderator: Member { context.actor }

    /// Durations offered, in days; 0 means until further notice. A silence is a pause to cool
    /// down (the member still reads everything), so it always ends; a suspension may not.
    static func durationDays(for kind: ModerationAction.Kind) -> [Int] {
        switch kind {
        case .silence: [1, 3, 7, 14]
        case .suspend: [1, 7, 30, 90, 0]
        default: []
        }
    }

    func act(_ kind: ModerationAction.Kind, on member: Member, reason: String, days: Int?) async throws {
        let now = context.now
        let memberID = try member.requireID()
        let until: Date? =
            kind == .silence || kind == .suspend
            ? ((days ?? 0) == 0 ? ModerationAction.indefinitely : now.addingTimeInterval(Double(days ?? 1) * 86_400))
            : nil
        let before = Self.state(of: member)
        try await context.db.transaction { db in
            switch kind {
            case .silence:
                member.silencedUntil = until
            case .suspend:
                member.suspendedUntil = until
                // A suspension ends every open session at once.
                try await MemberSession.query(on: db).filter(\.$member.$id == memberID).delete()
            case .lift:
                member.silencedUntil = nil
                member.suspendedUntil = nil
            default:
                break
            }
            try await member.save(on: db)
            try await ModerationAction(
                moderatorID: moderator.id, kind: kind, memberID: memberID, postID: nil,
                reason: reason, until: until, createdAt: now
            ).create(on: db)
            try await AuditEvent(
                actorID: moderator.id, action: "member.\(kind.rawValue)", subjectMemberID: memberID, detail: "",
                createdAt: now, target: "member:\(memberID)", reason: reason,
                before: before, after: Self.state(of: member)
            ).create(on: db)
            // The member hears of it by email too (a suspended member cannot log in to read it).
            let mail = ModerationMails(services: context.services, locale: member.locale).action(
                kind, pseudonym: member.pseudonym, reason: reason, until: until)
            try await Outbox.enqueue(mail, to: member.email, on: db, now: now)
            // In the app too; the mail above already went, whatever the member's email choices:
            // a suspended member could not log in to read it.
            try await Notifier.fromModerators(.moderator, to: memberID, topicID: nil, postID: nil, emailed: true, on: db, now: now)
        }
        // A message from the team also arrives as a conversation "from the moderators", which
        // the member can answer (and every moderator read, as the team).
        if kind == .message && !reason.isEmpty {
            let draft = NewConversationDraft(recipients: [member], firstPostScreened: true, fromModerators: true)
            _ = try await Publisher(context: context).publish(TextSubmission(body: reason, privacyConfirmed: true), to: .newConversation(draft))
        }
    }

    /// Records that this moderator looked at the member's real name and email.
    func revealContact(of member: Member, reason: String) async throws {
        try await AuditEvent(
            actorID: moderator.id, action: "contact.view", subjectMemberID: member.id, detail: "",
            createdAt: context.now, target: "member:\(try member.requireID().uuidString)",
            reason: reason
        ).create(on: context.db)
    }

    private static func state(of member: Member) -> String {
        let iso = { (date: Date?) in date.map(DateFormatting.iso) ?? "-" }
        return "silenced_until=\(iso(member.silencedUntil)) suspended_until=\(iso(member.suspendedUntil))"
    }
}
