import Fluent
import Foundation
import TextRules

/// News items on the publishing path. An item is a topic of kind `news` whose opening post is
/// its text in its first language; `news_items` holds the rest. The team's text needs no peer
/// screening: it is marked screened by its editor. Members hear of it when it is published
/// (now, or by `NewsPublishing` at its time), in batches, never inside this transaction.
extension PublishWrites {
    func newsItem(title: String, body: String, html: String, draft: NewsItemDraft) async throws -> PublishedText {
        let now = context.now
        let db = context.db
        let editorID = try context.actor.requireID()
        let publishNow = draft.publishAt.map { $0 <= now } ?? false
        let topic = Topic(
            kind: .news, categoryID: try await CommunityQueries.internalCategoryID(.news, on: db), authorID: editorID, title: title,
            at: draft.publishAt ?? now, closed: !draft.commentsAllowed, visible: publishNow && !safety.held)
        try await topic.create(on: db)
        let post = try await ForumQueries.insertPost(
            topicID: topic.requireID(), number: 1, authorID: editorID, markdown: body, html: html,
            screening: safety.held ? .held : .screened, now: now, on: db)
        post.screenedAt = now
        post.screenedBy = editorID
        try await post.save(on: db)
        let item = NewsItem()
        item.id = try topic.requireID()
        item.createdBy = editorID
        item.published = false
        item.fanoutDone = false
        apply(draft, to: item, now: now)
        if topic.visible { item.published = true }
        try await item.create(on: db)
        try await SafetyWrites(context: context).apply(safety, post: post, topicTitle: title)
        // Indexed at once; search finds it only when its topic is listed (published).
        try await index(post, title: title, isNew: true)
        return PublishedText(topic: topic, post: post, safety: safety)
    }

    func editNewsItem(
        _ item: NewsItem, topic: Topic, post: Post, title: String, body: String, html: String, draft: NewsItemDraft
    ) async throws -> PublishedText {
        let now = context.now
        let db = context.db
        if post.bodyMarkdown != body { try await PostRevision(of: post, at: now).create(on: db) }
        post.bodyMarkdown = body
        post.bodyHTML = html
        if item.published { post.editedAt = now }
        if safety.held { post.screening = .held }
        try await post.save(on: db)
        let publishNow = draft.publishAt.map { $0 <= now } ?? false
        let publishedAt = item.publishAt
        apply(draft, to: item, now: now)
        // Published stays published (at its first time); a draft or a scheduled item goes out now if asked.
        if publishNow && item.published {
            item.publishAt = publishedAt
        } else if publishNow {
            item.published = true
            topic.createdAt = now
            topic.lastActivityAt = now
        } else if draft.publishAt == nil {
            item.published = false
        } else if !publishNow {
            item.published = false
            topic.createdAt = draft.publishAt ?? now
        }
        topic.title = title
        topic.closed = !draft.commentsAllowed
        topic.visible = item.published && Guardian.isPublic(post)
        try await topic.save(on: db)
        try await item.save(on: db)
        try await SafetyWrites(context: context).apply(safety, post: post, topicTitle: title)
        try await index(post, title: title)
        return PublishedText(topic: topic, post: post, safety: safety)
    }

    private func apply(_ draft: NewsItemDraft, to item: NewsItem, now: Date) {
        item.kind = draft.kind
        item.language = draft.language
        item.summary = draft.summary
        item.secondTitle = draft.second?.title
        item.secondSummary = draft.second?.summary
        item.secondBodyMarkdown = draft.second?.body
        item.secondBodyHTML = draft.second.map { MarkdownCooker().cook($0.body) }
        item.themeID = draft.themeID
        item.sourceAuthors = draft.source.authors.isEmpty ? nil : draft.source.authors
        item.sourcePublisher = draft.source.publisher.isEmpty ? nil : draft.source.publisher
        item.sourceYear = draft.source.year
        item.sourceLink = draft.source.link.isEmpty ? nil : draft.source.link
        item.sourceEvidence = draft.source.evidence
        item.publishAt = draft.publishAt
        item.pinned = draft.pinned
        item.isPublic = draft.isPublic
        item.commentsAllowed = draft.commentsAllowed
        item.updatedAt = now
    }
}
