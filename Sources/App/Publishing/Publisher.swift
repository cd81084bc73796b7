import Fluent
import SQLKit
import TextRules
import Vapor

/// The one publishing path for member-written text: topics, replies, edits and introductions
/// (and, as they come, news comments, blog entries and messages). Every text takes the same
/// steps in the same order, so no kind of text can skip one:
///
/// 1. permission (Guardian: silenced, closed or unseen topic, someone else's post),
/// 2. validation (lengths, a known theme), or a preview that writes nothing,
/// 3. the safety check: blocked, the privacy nudge, held, crisis help,
/// 4. the write and all its effects in one transaction: the text cooked once, the screening
///    state, safety writes (alert, its mails, review items), the search index, the welcome
///    queue, notifications, read position and participation events.
///
/// The handler only decodes the form and turns the `PublishOutcome` into a page or a redirect.
struct Publisher {
    let context: ServiceContext

    func publish(_ submission: TextSubmission, to target: PublishTarget) async throws -> PublishOutcome {
        let actor = context.actor
        // 1. Permission.
        guard Guardian.canWrite(actor, now: context.now) else { return .notAllowed }
        switch target {
        case .newTopic: break
        case .reply(let topic, _, _): guard Guardian.canReply(to: topic, by: actor) else { return .notAllowed }
        case .edit(let post, let topic): guard Guardian.canEdit(post, in: topic, by: actor) else { return .notAllowed }
        case .introduction: break
        case .blogEntry: guard Guardian.canBlog(actor, now: context.now) else { return .notAllowed }
        case .editBlogEntry(let post, let topic, _):
            guard Guardian.canEditBlogEntry(topic, by: actor), post.number == 1, Guardian.isPublic(post) || post.screening == .journal else {
                return .notAllowed
            }
        case .newsItem: guard Guardian.canEditNews(actor) else { return .notAllowed }
        case .editNewsItem(let post, let topic, _, _):
            guard Guardian.canEditNews(actor), topic.kind == .news, post.number == 1 else { return .notAllowed }
        case .newConversation(let draft):
            guard Guardian.canStartConversations(actor, firstPostScreened: draft.firstPostScreened, now: context.now) else { return .notAllowed }
        case .message(let conversation, let membership, let blockedByOther):
            guard Guardian.canWrite(in: conversation, membership: membership, by: actor, blockedByOther: blockedByOther, now: context.now) else {
                return .notAllowed
            }
        }

        // 2. Validation, then a preview writes nothing.
        let errors = validate(submission, for: target)
        guard errors.isEmpty else { return .invalid(errors) }
        if submission.wantsPreview { return .preview(html: MarkdownCooker().cook(submission.body)) }

        // 3. Safety.
        let title = target.takesTitle ? submission.title : ""
        let checked = try await SafetyCheck(context: context).evaluate(
            title: title, body: target.otherText.isEmpty ? submission.body : submission.body + "\n" + target.otherText,
            privacyConfirmed: submission.privacyConfirmed)
        // A private journal is read by nobody else: only the crisis help for its author is left.
        // A private message is not screened: only what protects the writer or the reader is left.
        let safety = target.isPrivateToAuthor ? checked.forTheAuthorAlone() : target.isPrivateMessage ? checked.forPrivateMessage() : checked
        if safety.blocked { return .blocked }
        if safety.needsPrivacyConfirmation { return .needsPrivacyConfirmation(safety.privacy) }

        // 4. The write with its effects.
        let html = submission.body.isEmpty ? "" : MarkdownCooker().cook(submission.body)
        let published = try await context.transaction { ctx in
            switch target {
            case .newTopic(let category):
                return try await PublishWrites(context: ctx, safety: safety)
                    .startTopic(in: category!, title: title, body: submission.body, html: html)
            case .reply(let topic, let quotedAuthorID, let welcoming):
                return try await PublishWrites(context: ctx, safety: safety)
                    .reply(to: topic, body: submission.body, html: html, quotedAuthorID: quotedAuthorID, welcoming: welcoming)
            case .edit(let post, let topic):
                return try await PublishWrites(context: ctx, safety: safety)
                    .edit(post, in: topic, title: post.number == 1 ? title : nil, body: submission.body, html: html)
            case .introduction(let alsoPostIn, let topicTitle):
                return try await PublishWrites(context: ctx, safety: safety)
                    .introduction(submission.body, html: html, alsoPostIn: alsoPostIn, topicTitle: topicTitle)
            case .blogEntry(let settings):
                return try await PublishWrites(context: ctx, safety: safety)
                    .blogEntry(title: title, body: submission.body, html: html, settings: settings)
            case .editBlogEntry(let post, let topic, let settings):
                return try await PublishWrites(context: ctx, safety: safety)
                    .editBlogEntry(post, in: topic, title: title, body: submission.body, html: html, settings: settings)
            case .newsItem(let draft):
                return try await PublishWrites(context: ctx, safety: safety)
                    .newsItem(title: title, body: submission.body, html: html, draft: draft)
            case .editNewsItem(let post, let topic, let item, let draft):
                return try await PublishWrites(context: ctx, safety: safety)
                    .editNewsItem(item, topic: topic, post: post, title: title, body: submission.body, html: html, draft: draft)
            case .newConversation(let draft):
                return try await PublishWrites(context: ctx, safety: safety).newConversation(draft, body: submission.body, html: html)
            case .message(let conversation, _, _):
                return try await PublishWrites(context: ctx, safety: safety).message(in: conversation, body: submission.body, html: html)
            }
        }
        // Committed: open live streams on every node look now instead of at their next round.
        let keys = [published.topic?.id.map { "t:\($0)" }, published.conversationID.map { "c:\($0)" }].compactMap { $0 }
        await context.services.cluster.changed(keys, on: context.db, logger: context.db.logger)
        return .published(published)
    }

    private func validate(_ submission: TextSubmission, for target: PublishTarget) -> FormErrors {
        var errors = FormErrors()
        if target.takesTitle && !PostForm.titleLength.contains(submission.title.count) { errors.add("title", "forum.error.title_length") }
        // A news item's own fields were checked with its form; their errors come along.
        if case .newsItem(let draft) = target { for item in draft.errors.items { errors.add(item.field, item.key) } }
        if case .editNewsItem(_, _, _, let draft) = target { for item in draft.errors.items { errors.add(item.field, item.key) } }
        if case .newConversation(let draft) = target { for item in draft.errors.items { errors.add(item.field, item.key) } }
        if target.isPrivateMessage && submission.body.count > Message.bodyLimit { errors.add("body", "messages.error.too_long") }
        if case .introduction(let alsoPostIn, _) = target {
            if submission.body.count > IntroForm.maxLength {
                errors.add("introduction", "intro.error.too_long")
            } else if alsoPostIn != nil && submission.body.isEmpty {
                errors.add("introduction", "intro.error.empty")
            }
            return errors
        }
        if case .newTopic(let category) = target, category == nil { errors.add("category", "forum.error.category") }
        if submission.body.isEmpty {
            errors.add("body", "forum.error.body_empty")
        } else if submission.body.count > PostForm.bodyLimit {
            errors.add("body", "forum.error.body_too_long")
        }
        return errors
    }
}

/// What the member typed, cleaned (control characters dropped, line endings unified, trimmed).
struct TextSubmission: Sendable {
    var title: String
    var body: String
    /// "Publish anyway" on the privacy nudge.
    var privacyConfirmed: Bool
    /// "Preview" instead of "Post".
    var wantsPreview: Bool

    init(title: String = "", body: String, privacyConfirmed: Bool = false, wantsPreview: Bool = false) {
        self.title = title
        self.body = body
        self.privacyConfirmed = privacyConfirmed
        self.wantsPreview = wantsPreview
    }

    init(_ form: PostForm) {
        self.init(title: form.titleValue, body: form.bodyValue, privacyConfirmed: form.privacyConfirmed, wantsPreview: form.wantsPreview)
    }
}

/// Where a text goes.
enum PublishTarget: Sendable {
    /// A new topic; nil when the form named no known, open theme.
    case newTopic(Category?)
    /// A reply. `quotedAuthorID` is whom it responds to (for the participation figures);
    /// `welcoming` the member whose first post it welcomes.
    case reply(Topic, quotedAuthorID: UUID?, welcoming: UUID?)
    case edit(Post, in: Topic)
    /// The member's introduction on their profile, also posted as a topic in `alsoPostIn`.
    case introduction(alsoPostIn: Category?, topicTitle: String)
    /// A new entry in the author's blog (for all members, or a private journal entry).
    case blogEntry(BlogEntrySettings)
    /// A change to a blog entry: its title and text, who reads it, and whether others comment.
    case editBlogEntry(Post, in: Topic, BlogEntrySettings)
    /// A news item or publication by an editor (a draft, scheduled, or published now).
    case newsItem(NewsItemDraft)
    /// A change to a news item.
    case editNewsItem(Post, in: Topic, NewsItem, NewsItemDraft)
    /// The first message of a new private conversation.
    case newConversation(NewConversationDraft)
    /// A message in a conversation (the writer's membership; whether the other of two blocked them).
    case message(Conversation, ConversationMember?, blockedByOther: Bool)

    /// Whether the title is part of the text (a new topic, or an edit of a topic's first post).
    var takesTitle: Bool {
        switch self {
        case .newTopic, .blogEntry, .editBlogEntry, .newsItem, .editNewsItem: true
        case .edit(let post, _): post.number == 1
        case .reply, .introduction, .newConversation, .message: false
        }
    }

    /// A private message: never screened or searched by the forum; moderators see only alerts.
    var isPrivateMessage: Bool {
        switch self {
        case .newConversation, .message: true
        default: false
        }
    }

    /// Text of the submission beyond its title and body that the safety rules read too (a news
    /// item's summary and its second language).
    var otherText: String {
        switch self {
        case .newsItem(let draft), .editNewsItem(_, _, _, let draft): draft.otherText
        default: ""
        }
    }

    /// Text that nobody but its author will read (a private journal entry).
    var isPrivateToAuthor: Bool {
        switch self {
        case .blogEntry(let settings), .editBlogEntry(_, _, let settings): settings.visibility == .onlyMe
        default: false
        }
    }
}

/// What became of a text.
enum PublishOutcome: Sendable {
    /// Guardian says no: silenced, or a topic or post this member may not write in.
    case notAllowed
    case invalid(FormErrors)
    case preview(html: String)
    /// A rule blocks this text; the form comes back with the text as typed.
    case blocked
    /// Personal details found: the author chooses to edit or to publish anyway.
    case needsPrivacyConfirmation([PrivacyScanner.Finding])
    case published(PublishedText)
}

/// A text that was written (published at once, or held for a moderator).
struct PublishedText: Sendable {
    let topic: Topic?
    let post: Post?
    let safety: SafetyOutcome
    /// A private message's conversation and the message.
    var conversationID: Int? = nil
    var messageID: Int? = nil

    /// Held for a moderator, or a crisis rule: the author goes to the support page next.
    var goesToSupport: Bool { safety.held || safety.showsHelp }

    /// Where the author goes next: the support page after a crisis or hold, else the post.
    var nextPath: String? {
        guard let topic, let post else { return nil }
        return goesToSupport ? Paths.support(topic: topic, post: post) : Paths.post(post, in: topic)
    }
}
