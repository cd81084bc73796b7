import Foundation
import SQLKit

/// Who may see what: every visibility rule once, in Swift and as the one SQL fragment that
/// queries use. `VisibilityRuleTests` runs each rule in both forms over the same table of
/// cases, so the two can never drift apart again.
///
/// Aliases passed to the SQL forms are the caller's table aliases (constants in code, never
/// user input).
extension Guardian {
    /// Screening states whose text every member reads: new (not yet screened) and screened.
    /// Held, hidden and removed posts are shown as a placeholder.
    static let publicScreenings: [Screening] = [.unscreened, .screened]

    /// A post whose text the whole community reads.
    static func isPublic(_ post: Post) -> Bool { publicScreenings.contains(post.screening) }

    /// SQL form of `isPublic` for the posts table under `alias`.
    static func isPublicSQL(post alias: String) -> SQLQueryString {
        "\(unsafeRaw: alias).screening IN (\(binds: publicScreenings.map(\.rawValue)))"
    }

    /// A topic shown to everyone who reads its kind (forum lists, search, live updates, the news
    /// and blog lists): its opening post is not hidden, removed or held, and a news item is
    /// published. A private journal entry is never listed.
    static func isListed(_ topic: Topic) -> Bool { topic.visible }

    /// SQL form of `isListed` for the topics table under `alias`.
    static func isListedSQL(topic alias: String) -> SQLQueryString {
        "\(unsafeRaw: alias).visible = \(bind: true)"
    }

    /// A listed forum discussion: what the forum's lists, counts and waiting list show. News
    /// items and blog entries are topics too (for their comments), but not the forum's.
    static func isListedInForum(_ topic: Topic) -> Bool { isListed(topic) && topic.kind == .forum }

    /// SQL form of `isListedInForum` for the topics table under `alias`.
    static func isListedInForumSQL(topic alias: String) -> SQLQueryString {
        "(\(isListedSQL(topic: alias)) AND \(unsafeRaw: alias).kind = \(bind: TopicKind.forum.rawValue))"
    }

    /// A member who left and asked for the text of their posts to be removed.
    static func hasWithdrawnText(_ author: Member) -> Bool {
        author.closedAt != nil && author.leaveChoice == .removeText
    }

    /// SQL form of `hasWithdrawnText` for the members table under `alias`.
    static func hasWithdrawnTextSQL(member alias: String) -> SQLQueryString {
        "(\(unsafeRaw: alias).closed_at IS NOT NULL AND \(unsafeRaw: alias).leave_choice = \(bind: LeaveChoice.removeText.rawValue))"
    }

    /// A topic the viewer may open, by its kind:
    /// - forum topics and blog entries: listed ones for everyone; unlisted ones (opening post
    ///   hidden, removed or held) for the team and for their own author, who can still reply
    ///   while a moderator looks at it;
    /// - news items: published ones for every member; drafts and scheduled items for editors;
    /// - a private journal entry: its author only, moderators included in "nobody else".
    static func canSee(_ topic: Topic, by viewer: Member) -> Bool {
        switch topic.kind {
        case .forum, .blog: isListed(topic) || canManageTopics(viewer) || topic.authorID == viewer.id
        case .news: isListed(topic) || canEditNews(viewer)
        case .journal: topic.authorID == viewer.id
        }
    }

    /// SQL form of `canSee(_:by:)` for the topics table under `alias`.
    static func canSeeSQL(topic alias: String, by viewer: Member) -> SQLQueryString {
        let viewerID = viewer.id ?? UUID()
        let kind = "\(alias).kind"
        let discussion: SQLQueryString =
            canManageTopics(viewer)
            ? "1 = 1" : "(\(isListedSQL(topic: alias)) OR \(unsafeRaw: alias).author_id = \(bind: viewerID))"
        let news: SQLQueryString = canEditNews(viewer) ? "1 = 1" : isListedSQL(topic: alias)
        return """
            ((\(unsafeRaw: kind) IN (\(bind: TopicKind.forum.rawValue), \(bind: TopicKind.blog.rawValue)) AND \(discussion))
             OR (\(unsafeRaw: kind) = \(bind: TopicKind.news.rawValue) AND \(news))
             OR (\(unsafeRaw: kind) = \(bind: TopicKind.journal.rawValue) AND \(unsafeRaw: alias).author_id = \(bind: viewerID)))
            """
    }

    /// A post the moderators may open, screen and act on: anything but a private journal entry.
    static func canModerateText(in topic: Topic) -> Bool { topic.kind != .journal }

    /// SQL form of `canModerateText(in:)` for the topics table under `alias`.
    static func canModerateTextSQL(topic alias: String) -> SQLQueryString {
        "\(unsafeRaw: alias).kind <> \(bind: TopicKind.journal.rawValue)"
    }

    /// A post that everyone finds in search, live updates and lists of latest posts: public text,
    /// in a listed topic, by an author who has not withdrawn it.
    static func isFindable(_ post: Post, in topic: Topic, by author: Member) -> Bool {
        isPublic(post) && isListed(topic) && !hasWithdrawnText(author)
    }

    /// SQL form of `isFindable` over posts, topics and the author's member row.
    static func isFindableSQL(post: String, topic: String, author: String) -> SQLQueryString {
        "\(isPublicSQL(post: post)) AND \(isListedSQL(topic: topic)) AND NOT \(hasWithdrawnTextSQL(member: author))"
    }
}
