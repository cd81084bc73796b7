import Foundation

/// Every permission rule in one place, so a rule is never re-invented in a handler.
enum Guardian {
    static func canModerate(_ member: Member) -> Bool { member.role == .moderator || member.role == .admin }
    static func canAdminister(_ member: Member) -> Bool { member.role == .admin }
    /// Researchers see aggregates only; admins may look over their shoulder.
    static func canResearch(_ member: Member) -> Bool { member.role == .researcher || member.role == .admin }
    /// An admin may not take away their own admin role (so a community never locks itself out).
    static func canChangeRole(of target: Member, by actor: Member, to role: Role) -> Bool {
        guard canAdminister(actor) else { return false }
        if target.id == actor.id && role != .admin { return false }
        return true
    }
}

/// The forum's rules.
extension Guardian {
    /// Members see hidden and removed posts as a placeholder; moderators see the text.
    /// A held post's author reads it (it waits for a moderator); others see a placeholder.
    static func canReadText(of post: Post, by member: Member) -> Bool {
        post.screening == .unscreened || post.screening == .screened || canModerate(member)
            || (post.screening == .held && post.authorID == member.id)
    }

    /// Hidden topics (opening post hidden, removed or held) stay visible to moderators and to their author.
    static func canSee(_ topic: Topic, by member: Member) -> Bool {
        topic.visible || canManageTopics(member) || topic.authorID == member.id
    }

    static func canEdit(_ post: Post, in topic: Topic, by member: Member) -> Bool {
        post.authorID == member.id && (post.screening == .unscreened || post.screening == .screened) && !topic.closed
    }

    static func canRemove(_ post: Post, by member: Member) -> Bool {
        post.authorID == member.id && (post.screening == .unscreened || post.screening == .screened)
    }

    static func canReply(to topic: Topic, by member: Member) -> Bool {
        !topic.closed || canModerate(member)
    }

    /// Reactions go on other people's visible posts.
    static func canReact(to post: Post, by member: Member) -> Bool {
        post.authorID != member.id && (post.screening == .unscreened || post.screening == .screened)
    }

    /// A silenced member reads but does not write (topics, replies, edits, reactions) until
    /// the silence ends. Reporting a post stays possible: safety is never silenced.
    static func canWrite(_ member: Member, now: Date) -> Bool { !member.isSilenced(at: now) }

    /// Pin, close and move topics; see earlier versions of posts.
    static func canManageTopics(_ member: Member) -> Bool { canModerate(member) }
}
