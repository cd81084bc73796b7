import Fluent
import SQLKit
import Vapor

/// A post as a topic page shows it, with its author and reactions.
struct PostView: Sendable {
    let post: Post
    /// Empty when the author left (shown as "former member").
    let authorPseudonym: String
    /// Moderators and administrators carry a team badge beside their name.
    var authorRole: Role = .member
    /// The author's avatar choice (`Avatar`).
    var authorAvatar: String? = nil
    /// The author left and asked for their text to be removed.
    var textWithdrawn = false
    /// The viewer muted the author: the post is folded away for them.
    var authorMuted = false
    /// Counts per reaction kind.
    var reactionCounts: [Reaction.Kind: Int] = [:]
    /// The kinds the viewer has given.
    var mine: Set<Reaction.Kind> = []
    /// Who reacted, shown only to the post's author.
    var reactors: [Reaction.Kind: [String]] = [:]
    /// "Read by N members", for the author's own posts only.
    var readBy: Int? = nil
    /// Moderators' notes under the post (sanitised HTML, built when written).
    var moderatorNotes: [String] = []
}

/// Everything a topic page needs, loaded by a fixed number of queries.
struct TopicPageData: Sendable {
    static let pageSize = 20

    let topic: Topic
    let category: Category
    let page: Int
    let pageCount: Int
    let posts: [PostView]
    /// The first post the viewer had not read before this visit, if any.
    let firstUnread: Int?
    /// How closely the viewer follows this topic.
    var watchLevel: WatchLevel = .normal

    /// `unreadNotifications`: whether the viewer has any (then those about this topic are settled).
    static func load(
        topicID: Int, page requested: Int, viewer: Member, now: Date, unreadNotifications: Bool = true,
        on db: any Database
    ) async throws -> TopicPageData? {
        let viewerID = try viewer.requireID()
        let queries = ForumQueries.TopicPage(database: db, topicID: topicID, viewerID: viewerID)
        // The topic, its category and the viewer's read position: one query.
        guard let head = try await queries.head() else { return nil }
        let topic = try Topic.from(row: head, alias: "t")
        let category = try Category.from(row: head, alias: "c")
        let lastRead = try head.decode(column: "last_read", as: Int.self)
        guard Guardian.canSee(topic, by: viewer) else { return nil }
        let pageCount = max(1, (topic.lastPostNumber + pageSize - 1) / pageSize)
        let page = min(max(1, requested), pageCount)
        let first = (page - 1) * pageSize + 1
        let last = page * pageSize

        // Posts of the page with their authors: a range of post numbers, no OFFSET.
        let rows = try await queries.posts(numbered: first...last)
        let postRows = try rows.map { try Post.from(row: $0, alias: "p") }
        var views = try zip(postRows, rows).map {
            PostView(
                post: $0, authorPseudonym: try $1.decode(column: "author_pseudonym", as: String.self),
                authorRole: try $1.decode(column: "author_role", as: Role.self),
                authorAvatar: try $1.decode(column: "author_avatar", as: String?.self),
                textWithdrawn: try $1.decode(column: "text_withdrawn", as: Int.self) == 1,
                authorMuted: try $1.decode(column: "author_muted", as: Int.self) == 1)
        }
        let ids = postRows.compactMap(\.id)

        if !ids.isEmpty {
            // All reactions on the page with who gave them: one query.
            let reactions = try await queries.reactions(on: ids)
            var index = [Int: Int]()
            for (i, view) in views.enumerated() { index[try view.post.requireID()] = i }
            for row in reactions {
                guard let i = index[try row.decode(column: "post_id", as: Int.self)],
                    let kind = Reaction.Kind(rawValue: try row.decode(column: "kind", as: String.self))
                else { continue }
                views[i].reactionCounts[kind, default: 0] += 1
                if try row.decode(column: "member_id", as: UUID.self) == viewerID { views[i].mine.insert(kind) }
                if views[i].post.authorID == viewerID {
                    views[i].reactors[kind, default: []].append(try row.decode(column: "pseudonym", as: String.self))
                }
            }
            // Moderators' notes on the page's posts: one query.
            let notes = try await queries.moderatorNotes(on: ids)
            for row in notes {
                guard let i = index[try row.decode(column: "post_id", as: Int.self)] else { continue }
                views[i].moderatorNotes.append(try row.decode(column: "body_html", as: String.self))
            }
            // "Read by N" for the viewer's own posts: one grouped query on the read-state index.
            let own = postRows.filter { $0.authorID == viewerID }.compactMap(\.id)
            if !own.isEmpty {
                let counts = try await queries.readerCounts(of: own)
                var readers = [Int: Int]()
                for row in counts { readers[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "readers", as: Int.self) }
                for (i, view) in views.enumerated() where view.post.authorID == viewerID {
                    views[i].readBy = readers[try view.post.requireID()] ?? 0
                }
            }
        }

        // Where the viewer was, then move their read position to the end of this page.
        let firstUnread = lastRead < topic.lastPostNumber ? lastRead + 1 : nil
        let seenUpTo = min(last, topic.lastPostNumber)
        if seenUpTo > lastRead {
            try await ForumQueries.markRead(memberID: viewerID, topicID: topicID, upTo: seenUpTo, now: now, on: db)
            try await ParticipationEvent(memberID: viewerID, kind: .readTopic, topicID: topicID, postID: nil, otherMemberID: nil, createdAt: now)
                .create(on: db)
        }
        let watchLevel = try head.decode(column: "watch_level", as: String?.self).flatMap(WatchLevel.init(rawValue:)) ?? .normal
        // Reading the topic settles its notifications: no need to open them one by one.
        if unreadNotifications {
            try await queries.settleNotifications(now: now)
        }
        return TopicPageData(
            topic: topic, category: category, page: page, pageCount: pageCount, posts: views, firstUnread: firstUnread,
            watchLevel: watchLevel)
    }

    /// The page on which a post number appears.
    static func page(of number: Int) -> Int { (max(1, number) - 1) / pageSize + 1 }
}
