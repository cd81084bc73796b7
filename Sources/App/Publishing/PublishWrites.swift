import Fluent
import SQLKit
import TextRules
import Vapor

/// The writes of the publishing path, inside its one transaction. Each kind of text writes its
/// own rows, then `effects` does what every published text needs, in one place.
struct PublishWrites {
    /// A context on the transaction.
    let context: ServiceContext
    let safety: SafetyOutcome

    private var db: any Database { context.db }
    private var screening: Screening { safety.held ? .held : .unscreened }

    func startTopic(in category: Category, title: String, body: String, html: String) async throws -> PublishedText {
        let now = context.now
        // A topic whose opening post is held stays out of lists until a moderator releases it.
        let topic = Topic(
            kind: .forum, categoryID: try category.requireID(), authorID: try context.actor.requireID(), title: title, at: now,
            visible: !safety.held)
        try await topic.create(on: db)
        let post = try await ForumQueries.insertPost(
            topicID: topic.requireID(), number: 1, authorID: topic.authorID, markdown: body,
            html: html, screening: screening, now: now, on: db)
        try await effects(of: post, in: topic, title: title, event: .postTopic, otherMemberID: nil, welcoming: nil)
        return PublishedText(topic: topic, post: post, safety: safety)
    }

    func reply(to topic: Topic, body: String, html: String, quotedAuthorID: UUID?, welcoming: UUID?) async throws -> PublishedText {
        let now = context.now
        let authorID = try context.actor.requireID()
        let number = try await ForumQueries.takeNextPostNumber(in: topic.requireID(), now: now, on: db)
        let post = try await ForumQueries.insertPost(
            topicID: topic.requireID(), number: number, authorID: authorID, markdown: body,
            html: html, screening: screening, now: now, on: db)
        let other = quotedAuthorID ?? topic.authorID
        try await effects(of: post, in: topic, title: "", event: .reply, otherMemberID: other == authorID ? nil : other, welcoming: welcoming)
        // Care for those who care: many replies in heavy topics bring a private note.
        try await ResponderCare(context: context).noteReply(post, in: topic)
        return PublishedText(topic: topic, post: post, safety: safety)
    }

    /// An edit keeps the earlier version for moderators. An edit that hits a "hold" rule waits
    /// for a moderator like a new post would.
    func edit(_ post: Post, in topic: Topic, title: String?, body: String, html: String) async throws -> PublishedText {
        let now = context.now
        try await PostRevision(of: post, at: now).create(on: db)
        post.bodyMarkdown = body
        post.bodyHTML = html
        post.editedAt = now
        if safety.held { post.screening = .held }
        try await post.save(on: db)
        if let title, post.number == 1 {
            topic.title = title
            if safety.held { topic.visible = false }
            try await topic.save(on: db)
        } else if safety.held && post.number == 1 {
            topic.visible = false
            try await topic.save(on: db)
        }
        try await SafetyWrites(context: context).apply(safety, post: post, topicTitle: topic.title)
        try await index(post, title: post.number == 1 ? topic.title : "")
        return PublishedText(topic: topic, post: post, safety: safety)
    }

    /// The introduction on the member's profile; posted as a topic too when they asked.
    func introduction(_ text: String, html: String, alsoPostIn category: Category?, topicTitle: String) async throws -> PublishedText {
        let member = context.actor
        member.introduction = text.isEmpty ? nil : text
        member.introPromptedAt = member.introPromptedAt ?? context.now
        try await member.save(on: db)
        if let category {
            return try await startTopic(in: category, title: String(topicTitle.prefix(PostForm.titleLength.upperBound)), body: text, html: html)
        }
        // Shown on the profile only: the safety rules still apply (an alert without a post).
        try await SafetyWrites(context: context).apply(safety, post: nil, topicTitle: topicTitle)
        return PublishedText(topic: nil, post: nil, safety: safety)
    }

    /// What every new post needs: safety writes, search, the welcome queue, notifications,
    /// the author's read position and the participation event.
    func effects(
        of post: Post, in topic: Topic, title: String, event: ParticipationEvent.Kind?,
        otherMemberID: UUID?, welcoming: UUID?
    ) async throws {
        let now = context.now
        let author = context.actor
        let authorID = try author.requireID()
        try await SafetyWrites(context: context).apply(safety, post: post, topicTitle: title.isEmpty ? topic.title : title)
        try await index(post, title: title, isNew: true)
        try await WelcomeQueue.noteFirstPost(post, author: author, on: db, now: now)
        if Guardian.isPublic(post) {
            try await Notifier.postPublished(post, topic: topic, author: author, welcoming: welcoming, on: db, now: now)
        }
        try await ForumQueries.markRead(memberID: authorID, topicID: topic.requireID(), upTo: post.number, now: now, on: db)
        // A private journal entry is nobody's business, the research team's included.
        if let event {
            try await ParticipationEvent(
                memberID: authorID, kind: event, topicID: topic.id, postID: post.id,
                otherMemberID: otherMemberID, createdAt: now
            ).create(on: db)
        }
    }

    /// Search finds public text only: a held post leaves the index until it is released.
    /// A new post that is held was never indexed: nothing to remove.
    func index(_ post: Post, title: String, isNew: Bool = false) async throws {
        let search = SearchIndex(database: db)
        if Guardian.isPublic(post) {
            try await search.index(post, title: title)
        } else if !isNew {
            try await search.remove(postID: post.requireID())
        }
    }
}
