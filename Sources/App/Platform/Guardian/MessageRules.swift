import Foundation
import SQLKit

/// Private messages: who may start a conversation, with whom, and who reads one. Moderators
/// never browse conversations; they read a reported message and the ten before it, through
/// the review queue, and a conversation "from the moderators" as the team.
extension Guardian {
    /// How long a new member waits before starting conversations.
    static let conversationWait: TimeInterval = 3 * 86_400

    /// A member starts conversations once their first post has been screened and three days
    /// after joining (a newcomer cannot be used to reach members at once); the team always.
    static func canStartConversations(_ member: Member, firstPostScreened: Bool, now: Date) -> Bool {
        guard canWrite(member, now: now) else { return false }
        if canModerate(member) { return true }
        return firstPostScreened && now.timeIntervalSince(member.createdAt) >= conversationWait
    }

    /// Whether `sender` may start a conversation with `recipient`, given the recipient's choice,
    /// a block between them, and whether they talked before. The team reaches every member.
    /// A refusal never says which of these it was: a block is not told.
    static func canReach(_ recipient: Member, from sender: Member, blocked: Bool, talkedBefore: Bool) -> Bool {
        guard recipient.id != sender.id, recipient.isVerified, !recipient.isClosed else { return false }
        if canModerate(sender) { return true }
        if blocked { return false }
        switch recipient.messagePolicy {
        case .everyone: return true
        case .known: return talkedBefore
        case .nobody: return false
        }
    }

    /// Who reads a conversation: its members who have not left; one "from the moderators" also
    /// every moderator, who answers for the team.
    static func canRead(_ conversation: Conversation, membership: ConversationMember?, by viewer: Member) -> Bool {
        if let membership, membership.leftAt == nil { return true }
        return conversation.fromModerators && canModerate(viewer)
    }

    /// Writing in a conversation one reads; in a conversation of two, not to someone who blocked
    /// you (in a group, they can leave it).
    static func canWrite(in conversation: Conversation, membership: ConversationMember?, by viewer: Member, blockedByOther: Bool, now: Date)
        -> Bool
    {
        canRead(conversation, membership: membership, by: viewer) && canWrite(viewer, now: now) && !blockedByOther
    }

    /// SQL form of "a conversation the viewer is in" for `conversation_members` under `alias`.
    static func isInConversationSQL(membership alias: String, viewer: Member) -> SQLQueryString {
        "(\(unsafeRaw: alias).member_id = \(bind: viewer.id ?? UUID()) AND \(unsafeRaw: alias).left_at IS NULL)"
    }
}
