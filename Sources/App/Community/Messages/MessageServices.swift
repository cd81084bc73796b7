import Fluent
import Foundation
import SQLKit

/// A member's own choices about one conversation: leaving a group, muting. One write each.
struct ConversationChoices {
    let context: ServiceContext

    /// Leaves the conversation: it leaves the member's list; the others keep it. Nothing to
    /// leave in a conversation "from the moderators" for the team that reads it without a row.
    func leave(_ membership: ConversationMember) async throws {
        membership.leftAt = context.now
        try await context.transaction { ctx in
            try await membership.save(on: ctx.db)
            try await MessageQueries.settleNotifications(membership.conversationID, memberID: membership.memberID, now: ctx.now, on: ctx.db)
        }
    }

    /// Mutes or unmutes: no notifications and no header count while muted.
    func setMuted(_ muted: Bool, _ membership: ConversationMember) async throws {
        membership.muted = muted
        try await context.transaction { ctx in try await membership.save(on: ctx.db) }
    }
}

/// Blocking a member: they can no longer start a conversation with the blocker, nor write to
/// them in a conversation of two. They are not told.
struct BlockMember {
    let context: ServiceContext

    /// False for oneself, the team (moderators must always be able to reach a member) or an
    /// existing block.
    @discardableResult
    func block(_ other: Member) async throws -> Bool {
        let memberID = try context.actor.requireID()
        let otherID = try other.requireID()
        guard otherID != memberID, !Guardian.isTeam(other) else { return false }
        if try await MessageBlock.query(on: context.db).filter(\.$memberID == memberID).filter(\.$blockedID == otherID).first() != nil {
            return false
        }
        try await context.transaction { ctx in
            try await MessageBlock(memberID: memberID, blockedID: otherID, now: ctx.now).create(on: ctx.db)
        }
        return true
    }

    func unblock(_ otherID: UUID) async throws {
        let memberID = try context.actor.requireID()
        try await context.transaction { ctx in
            try await MessageBlock.query(on: ctx.db).filter(\.$memberID == memberID).filter(\.$blockedID == otherID).delete()
        }
    }
}

/// Who may start a conversation with the member (everyone, members they talked with, nobody).
struct SetMessagePolicy {
    let context: ServiceContext

    func run(_ policy: MessagePolicy) async throws {
        let member = context.actor
        member.messagePolicy = policy
        try await context.transaction { ctx in try await member.save(on: ctx.db) }
    }
}

/// A participant reports a message: a review item in the moderators' queue, which lets them
/// read that message and the ten before it (and nothing else).
struct ReportMessage {
    enum Outcome: Equatable {
        case received
        case alreadyReported
    }

    let context: ServiceContext

    func run(_ message: Message, reason: Flag.Reason, note: String) async throws -> Outcome {
        let reporterID = try context.actor.requireID()
        let messageID = try message.requireID()
        if try await MessageReport.query(on: context.db).filter(\.$messageID == messageID).filter(\.$reporterID == reporterID).first() != nil {
            return .alreadyReported
        }
        try await context.transaction { ctx in
            let item = ReviewItem(
                kind: .messageReport, postID: nil, memberID: message.authorID, summary: reason.rawValue, createdAt: ctx.now)
            item.messageID = messageID
            try await item.create(on: ctx.db)
            let report = MessageReport()
            report.messageID = messageID
            report.reporterID = reporterID
            report.reason = reason
            report.note = note
            report.createdAt = ctx.now
            report.reviewItemID = try item.requireID()
            try await report.create(on: ctx.db)
        }
        return .received
    }
}

/// A moderator opens a reported message: they see it and the ten before it, and the look is
/// written to the audit log first (a look that cannot be recorded does not happen).
struct ReadReportedMessage {
    let context: ServiceContext

    func run(_ item: ReviewItem) async throws -> (Message, [MessageRow])? {
        guard item.kind == .messageReport, let messageID = item.messageID,
            let message = try await Message.find(messageID, on: context.db)
        else { return nil }
        try await AuditEvent(
            actorID: context.actor.id, action: "message.report.view", subjectMemberID: message.authorID, detail: "",
            createdAt: context.now, target: "message:\(messageID)", reason: "review_item:\(try item.requireID().uuidString)"
        ).create(on: context.db)
        return (message, try await MessageQueries.reportContext(of: message, on: context.db))
    }
}
