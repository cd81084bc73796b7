import Foundation

/// Every permission rule in one place, so a rule is never re-invented in a handler.
enum Guardian {
    /// A moderator or an admin, whether or not their two-factor sign-in is set up yet. Only for
    /// choosing where to send them (to set it up) and for the team badge; never for a power.
    static func isTeam(_ member: Member) -> Bool { member.role == .moderator || member.role == .admin }
    /// The team sees personal data and hidden text: every power waits for two-factor sign-in.
    static func hasTeamPowers(_ member: Member) -> Bool { !TwoFactor.isRequired(for: member) || member.hasTwoFactor }
    static func canModerate(_ member: Member) -> Bool { isTeam(member) && hasTeamPowers(member) }
    static func canAdminister(_ member: Member) -> Bool { member.role == .admin && hasTeamPowers(member) }
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
        isPublic(post) || canModerate(member) || (post.screening == .held && post.authorID == member.id)
    }

    static func canEdit(_ post: Post, in topic: Topic, by member: Member) -> Bool {
        post.authorID == member.id && isPublic(post) && !topic.closed
    }

    static func canRemove(_ post: Post, by member: Member) -> Bool {
        post.authorID == member.id && isPublic(post)
    }

    static func canReply(to topic: Topic, by member: Member) -> Bool {
        canSee(topic, by: member) && (!topic.closed || canModerate(member))
    }

    /// Reactions go on other people's visible posts.
    static func canReact(to post: Post, by member: Member) -> Bool {
        post.authorID != member.id && isPublic(post)
    }

    /// A silenced member reads but does not write (topics, replies, edits, reactions) until
    /// the silence ends. Reporting a post stays possible: safety is never silenced.
    static func canWrite(_ member: Member, now: Date) -> Bool { !member.isSilenced(at: now) }

    /// Pin, close and move topics; see earlier versions of posts.
    static func canManageTopics(_ member: Member) -> Bool { canModerate(member) }
}
