import Foundation

/// Following a member's blog: every new entry (watching), only what concerns me (normal), or
/// nothing and out of my blogs list (muted). The author is not told.
struct FollowBlog {
    let context: ServiceContext

    /// False for one's own blog (nothing to follow).
    func run(author: Member, level: WatchLevel) async throws -> Bool {
        let memberID = try context.actor.requireID()
        let authorID = try author.requireID()
        guard memberID != authorID else { return false }
        try await context.transaction { ctx in
            try await BlogQueries.setFollowLevel(level, of: memberID, author: authorID, now: ctx.now, on: ctx.db)
        }
        return true
    }
}
