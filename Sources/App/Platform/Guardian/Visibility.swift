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

    /// A topic that lists, search and live updates show to everyone: its opening post is
    /// not hidden, removed or held.
    static func isListed(_ topic: Topic) -> Bool { topic.visible }

    /// SQL form of `isListed` for the topics table under `alias`.
    static func isListedSQL(topic alias: String) -> SQLQueryString {
        "\(unsafeRaw: alias).visible = \(bind: true)"
    }

    /// A member who left and asked for the text of their posts to be removed.
    static func hasWithdrawnText(_ author: Member) -> Bool {
        author.closedAt != nil && author.leaveChoice == .removeText
    }

    /// SQL form of `hasWithdrawnText` for the members table under `alias`.
    static func hasWithdrawnTextSQL(member alias: String) -> SQLQueryString {
        "(\(unsafeRaw: alias).closed_at IS NOT NULL AND \(unsafeRaw: alias).leave_choice = \(bind: LeaveChoice.removeText.rawValue))"
    }

    /// A topic page the viewer may open: listed topics for everyone; unlisted ones (opening post
    /// hidden, removed or held) for the team and for their own author, who can still reply
    /// while a moderator looks at it.
    static func canSee(_ topic: Topic, by viewer: Member) -> Bool {
        isListed(topic) || canManageTopics(viewer) || topic.authorID == viewer.id
    }

    /// SQL form of `canSee(_:by:)` for the topics table under `alias`.
    static func canSeeSQL(topic alias: String, by viewer: Member) -> SQLQueryString {
        if canManageTopics(viewer) { return "1 = 1" }
        return "(\(isListedSQL(topic: alias)) OR \(unsafeRaw: alias).author_id = \(bind: viewer.id ?? UUID()))"
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
