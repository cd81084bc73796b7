import Fluent
import Foundation

/// Who reads a blog entry, and whether others may comment on it.
struct BlogEntrySettings: Sendable, Equatable {
    enum Visibility: String, Sendable, CaseIterable {
        /// Every member (the blogs list, search, followers).
        case members
        /// A private journal entry: its author alone, moderators included in "nobody else".
        case onlyMe = "only_me"
    }

    var visibility: Visibility
    var commentsAllowed: Bool
}

/// Blog entries on the publishing path. An entry is a topic of kind `blog` (or `journal`)
/// whose opening post is the entry's text, so comments, reactions, "read by", screening,
/// reports and search work as they do in the forum.
extension PublishWrites {
    func blogEntry(title: String, body: String, html: String, settings: BlogEntrySettings) async throws -> PublishedText {
        let now = context.now
        let journal = settings.visibility == .onlyMe
        let topic = Topic(
            kind: journal ? .journal : .blog, categoryID: try await CommunityQueries.internalCategoryID(.blogs, on: context.db),
            authorID: try context.actor.requireID(), title: title, at: now, closed: journal || !settings.commentsAllowed,
            visible: !journal && !safety.held)
        try await topic.create(on: context.db)
        let post = try await ForumQueries.insertPost(
            topicID: topic.requireID(), number: 1, authorID: topic.authorID, markdown: body,
            html: html, screening: journal ? .journal : (safety.held ? .held : .unscreened), now: now, on: context.db)
        try await effects(of: post, in: topic, title: title, event: journal ? nil : .postTopic, otherMemberID: nil, welcoming: nil)
        return PublishedText(topic: topic, post: post, safety: safety)
    }

    /// An entry's new text and settings. Turning a journal entry into one for all members
    /// publishes it then (screening, search, followers); the other way takes it out of every
    /// list and index at once. Earlier versions are kept for moderators, never of a journal.
    func editBlogEntry(
        _ post: Post, in topic: Topic, title: String, body: String, html: String, settings: BlogEntrySettings
    ) async throws -> PublishedText {
        let now = context.now
        let db = context.db
        let journal = settings.visibility == .onlyMe
        let wasJournal = topic.kind == .journal
        if !journal && !wasJournal { try await PostRevision(of: post, at: now).create(on: db) }
        post.bodyMarkdown = body
        post.bodyHTML = html
        post.editedAt = now
        if journal {
            post.screening = .journal
        } else if safety.held {
            post.screening = .held
        } else if wasJournal {
            post.screening = .unscreened
        }
        try await post.save(on: db)
        topic.title = title
        topic.kind = journal ? .journal : .blog
        topic.closed = journal || !settings.commentsAllowed
        topic.visible = Guardian.isPublic(post)
        try await topic.save(on: db)
        if journal {
            try await index(post, title: title)
        } else if wasJournal {
            // Published now: what a new entry gets.
            try await effects(of: post, in: topic, title: title, event: .postTopic, otherMemberID: nil, welcoming: nil)
        } else {
            try await SafetyWrites(context: context).apply(safety, post: post, topicTitle: title)
            try await index(post, title: title)
        }
        return PublishedText(topic: topic, post: post, safety: safety)
    }
}
