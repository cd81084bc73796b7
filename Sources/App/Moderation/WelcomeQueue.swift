import Fluent
import SQLKit
import Vapor

/// A member's first published post asks for a moderator's welcome: a "welcome" review item,
/// answered with a reply prefilled from the editable template in the member's language.
enum WelcomeQueue {
    /// Called after a post is published (or released): adds the welcome item when this is the
    /// member's first visible post and none was made before. Two small indexed queries.
    static func noteFirstPost(_ post: Post, author: Member, on db: any Database, now: Date) async throws {
        guard author.role == .member, Guardian.isPublic(post) else { return }
        let authorID = try author.requireID()
        let sql = db as! any SQLDatabase
        let welcomed =
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM review_items WHERE kind = \(bind: ReviewItem.Kind.welcome.rawValue) AND member_id = \(bind: authorID)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        guard welcomed == 0 else { return }
        let published =
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM posts p WHERE p.author_id = \(bind: authorID) AND \(Guardian.isPublicSQL(post: "p"))
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        guard published == 1 else { return }
        try await ReviewItem(kind: .welcome, postID: post.requireID(), memberID: authorID, summary: "first post", createdAt: now).create(on: db)
    }

    /// The template with the member's pseudonym filled in.
    static func template(for member: Member, fallback: AppLocale, on db: any Database) async throws -> String {
        let page = try await PageVersions.current(.welcome, locale: member.locale ?? fallback, on: db)
        return (page?.bodyMarkdown ?? "").replacingOccurrences(of: "{name}", with: member.pseudonym)
    }

    /// Median time from first post to welcome over the last 30 days; nil without data.
    static func medianTimeToWelcome(on db: any Database, now: Date) async throws -> TimeInterval? {
        let items = try await ReviewItem.query(on: db).filter(\.$kind == .welcome).filter(\.$resolvedAt != nil)
            .filter(\.$createdAt >= now.addingTimeInterval(-30 * 86_400)).all()
        let waits = items.compactMap { item in item.resolvedAt.map { $0.timeIntervalSince(item.createdAt) } }
        return median(waits)
    }
}
