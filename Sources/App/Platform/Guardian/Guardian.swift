import Foundation

/// Every permission rule in one place, so a rule is never re-invented in a handler.
enum Guardian {
    /// A moderator or an admin, whether or not their two-factor sign-in is set up yet. Only for
    /// choosing where to send them (to set it up) and for the team badge; never for a power.
    static func isTeam(_ member: Member) -> Bool { isTeam(roleOnly: member.role) }
    /// The same, for a row that carries only the role.
    static func isTeam(roleOnly role: Role) -> Bool { role == .moderator || role == .admin }
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
    /// A private journal entry is read by its author alone.
    static func canReadText(of post: Post, by member: Member) -> Bool {
        if post.screening == .journal { return post.authorID == member.id }
        return isPublic(post) || canModerate(member) || (post.screening == .held && post.authorID == member.id)
    }

    static func canEdit(_ post: Post, in topic: Topic, by member: Member) -> Bool {
        post.authorID == member.id && isPublic(post) && !topic.closed
    }

    static func canRemove(_ post: Post, by member: Member) -> Bool {
        post.authorID == member.id && isPublic(post)
    }

    /// Only the author takes back their own deletion (and only of a deletion, not a moderator's).
    static func canUndoRemoval(of post: Post, by member: Member) -> Bool {
        post.authorID == member.id && post.screening == .removed && post.removedAt != nil
    }

    /// Within 10 minutes of the deletion (`RemoveOwnPost.undoWindow`).
    static func mayStillUndoRemoval(of post: Post, now: Date) -> Bool {
        guard let removedAt = post.removedAt else { return false }
        return now.timeIntervalSince(removedAt) < RemoveOwnPost.undoWindow
    }

    /// Comments on a news item or a blog entry are replies too: `closed` is "comments off".
    /// Nobody comments on a private journal entry, its author included.
    static func canReply(to topic: Topic, by member: Member) -> Bool {
        canSee(topic, by: member) && topic.kind != .journal && (!topic.closed || canModerate(member))
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

/// News, blogs and their rules.
extension Guardian {
    /// Editors (and admins) write news and publications; both need two-factor sign-in first.
    static func canEditNews(_ member: Member) -> Bool {
        (member.role == .editor || member.role == .admin) && hasTeamPowers(member)
    }

    /// Any member who may write keeps a blog.
    static func canBlog(_ member: Member, now: Date) -> Bool { canWrite(member, now: now) }

    /// Only its author changes a blog entry (moderators act through their own tools).
    static func canEditBlogEntry(_ topic: Topic, by member: Member) -> Bool {
        (topic.kind == .blog || topic.kind == .journal) && topic.authorID == member.id
    }
}
