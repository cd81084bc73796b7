import Fluent
import SQLKit
import TextRules
import Vapor

/// A moderator's actions on a post: hide, restore, and refer to sources. Each writes the
/// change, a ModerationAction the author sees, and an audit entry, in one transaction.
struct PostModeration {
    /// The moderator acts.
    let context: ServiceContext
    private var moderator: Member { context.actor }

    /// Hides a post from members; its author sees the reason. Hiding the opening post hides the topic.
    func hide(_ post: Post, reason: String) async throws {
        try await takeDown(post, to: .hidden, as: .hide, reason: reason)
    }

    /// Whether a moderator may hide the post now: one members read or its author deleted, and
    /// one hidden by members' reports alone (no moderator gave a reason yet), so hiding it with
    /// a reason settles those reports in one act. A held post is released or removed; one a
    /// moderator hid or removed is restored first.
    static func mayHide(_ post: Post) -> Bool {
        switch post.screening {
        case .unscreened, .screened, .removed: true
        case .hidden: post.moderationReason == nil
        case .held, .removedByModerator, .journal: false
        }
    }

    /// Removes a post for a broken rule: members see "removed by a moderator", its author the
    /// reason; the text stays for moderators. Removing the opening post removes the topic from lists.
    func remove(_ post: Post, reason: String) async throws {
        try await takeDown(post, to: .removedByModerator, as: .remove, reason: reason)
    }

    private func takeDown(_ post: Post, to screening: Screening, as kind: ModerationAction.Kind, reason: String) async throws {
        let now = context.now
        let moderatorID = try moderator.requireID()
        let before = post.screening
        try await context.db.transaction { db in
            post.screening = screening
            post.moderationReason = reason
            if post.screenedAt == nil {
                post.screenedAt = now
                post.screenedBy = moderatorID
            }
            try await post.save(on: db)
            if post.number == 1 { try await Self.setTopicVisible(post.topicID, false, on: db) }
            try await SearchIndex(database: db).remove(postID: post.requireID())
            try await record(kind, post: post, reason: reason, before: before.rawValue, after: screening.rawValue, now: now, on: db)
            // One thing, one action: the reports on the post are answered by taking it down.
            try await ReviewQueue.resolveReports(onPost: post.requireID(), by: moderatorID, reason: reason, now: now, on: db)
        }
    }

    /// Edits a post's text with a visible "edited by a moderator"; the original stays in the history.
    func edit(_ post: Post, topic: Topic, body: String, reason: String) async throws {
        let now = context.now
        let before = post.bodyMarkdown
        try await context.db.transaction { db in
            try await PostRevision(of: post, at: now).create(on: db)
            post.bodyMarkdown = body
            post.bodyHTML = MarkdownCooker().cook(body)
            post.editedAt = now
            post.moderatorEditedAt = now
            try await post.save(on: db)
            if post.screening == .unscreened || post.screening == .screened {
                try await SearchIndex(database: db).index(post, title: post.number == 1 ? topic.title : "")
            }
            try await record(.edit, post: post, reason: reason, before: before, after: body, now: now, on: db)
        }
    }

    /// Shows a hidden or removed post again.
    func restore(_ post: Post, reason: String) async throws {
        let now = context.now
        let moderatorID = try moderator.requireID()
        let before = post.screening
        try await context.db.transaction { db in
            post.screening = .screened
            post.moderationReason = nil
            if post.screenedAt == nil {
                post.screenedAt = now
                post.screenedBy = moderatorID
            }
            try await post.save(on: db)
            if post.number == 1 { try await Self.setTopicVisible(post.topicID, true, on: db) }
            let title = post.number == 1 ? (try await Topic.find(post.topicID, on: db)?.title ?? "") : ""
            try await SearchIndex(database: db).index(post, title: title)
            try await record(.restore, post: post, reason: reason, before: before.rawValue, after: Screening.screened.rawValue, now: now, on: db)
            // A first post that was held still gets its welcome once released.
            if before == .held, let author = try await Member.find(post.authorID, on: db) {
                try await WelcomeQueue.noteFirstPost(post, author: author, on: db, now: now)
                // Released at last: now the people it concerns hear of it.
                if let topic = try await Topic.find(post.topicID, on: db) {
                    try await Notifier.postPublished(post, topic: topic, author: author, on: db, now: now)
                }
            }
        }
    }

    /// Adds a moderators' note under the post with links to sources from the library.
    func refer(_ post: Post, note: String, sources: [Source], locale: AppLocale) async throws {
        let now = context.now
        let intro = context.services.localizer.text("mod.refer.note_intro", locale)
        var html = "<p>\(HTMLEscaping.text(note))</p><ul class=\"source-links\">"
        for source in sources {
            html += "<li><a href=\"\(HTMLEscaping.attribute(source.url))\" rel=\"noopener noreferrer\">\(HTMLEscaping.text(source.title))</a>"
            if !source.description.isEmpty { html += " — \(HTMLEscaping.text(source.description))" }
            html += "</li>"
        }
        html += "</ul>"
        let stored = ModeratorNote()
        stored.postID = try post.requireID()
        stored.authorID = moderator.id
        stored.body = note
        stored.bodyHTML = "<p class=\"moderator-note-intro\">\(HTMLEscaping.text(intro))</p>" + html
        stored.sourceIDs = sources.compactMap { $0.id?.uuidString }.joined(separator: ",")
        stored.createdAt = now
        try await context.db.transaction { db in
            try await stored.create(on: db)
            if post.screenedAt == nil {
                post.screenedAt = now
                post.screenedBy = moderator.id
                if post.screening == .unscreened { post.screening = .screened }
                try await post.save(on: db)
            }
            try await record(.refer, post: post, reason: note, before: nil, after: stored.sourceIDs, now: now, on: db)
        }
    }

    private func record(_ kind: ModerationAction.Kind, post: Post, reason: String, before: String?, after: String?, now: Date, on db: any Database)
        async throws
    {
        let postID = try post.requireID()
        try await ModerationAction(
            moderatorID: moderator.id, kind: kind, memberID: post.authorID, postID: postID,
            reason: reason, until: nil, createdAt: now
        ).create(on: db)
        try await Notifier.fromModerators(.moderator, to: post.authorID, topicID: post.topicID, postID: postID, on: db, now: now)
        try await AuditEvent(
            actorID: moderator.id, action: "post.\(kind.rawValue)", subjectMemberID: post.authorID, detail: "",
            createdAt: now, target: "post:\(postID)", reason: reason, before: before, after: after
        ).create(on: db)
    }

    static func setTopicVisible(_ topicID: Int, _ visible: Bool, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("UPDATE topics SET visible = \(bind: visible) WHERE id = \(bind: topicID)").run()
    }
}
