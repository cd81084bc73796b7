import Foundation

/// Every internal URL, built in one typed place. A model without an id (never saved) has no
/// address: that is a programming error, which stops debug builds and tests at once instead
/// of producing a link to `/t/0`. Functions take models; the `id:` forms are for row structs
/// that carry only (non-optional) ids.
enum Paths {
    // MARK: Topics

    /// A topic's page by its kind: a forum topic, a news item or a blog entry.
    static func topic(_ topic: Topic, page: Int? = nil) -> String {
        let base = home(of: topic)
        guard let page, page > 1 else { return base }
        return "\(base)?page=\(page)"
    }

    static func topic(id topicID: Int) -> String { "/t/\(topicID)" }

    /// A page of a topic that always names its number, page 1 included (the page links, and
    /// "back to the topic" on the reply page).
    static func topicPage(_ topic: Topic, _ page: Int) -> String { "\(Paths.topic(topic))?page=\(page)" }

    static let newTopic = "/t/new"

    /// A search, its filters and (beyond the first page) where the page starts.
    static func search(query: String, scope: SearchScope = .everywhere, category: Category? = nil, after: SearchCursor? = nil) -> String {
        var items = [("q", query)]
        if scope != .everywhere { items.append(("in", scope.rawValue)) }
        if let category { items.append(("category", category.slug)) }
        if let after { items.append(("after", after.token)) }
        return "/search?" + items.map { "\($0.0)=\(LocalPath.encode($0.1))" }.joined(separator: "&")
    }
    static let settingsAvatar = "/settings/avatar"
    static func newTopic(in category: Category) -> String { "/t/new?category=\(LocalPath.encode(category.slug))" }
    static func topicReply(_ topic: Topic) -> String { topicReply(id: id(topic.id, "topic")) }
    static func topicReply(id topicID: Int) -> String { "\(topic(id: topicID))/reply" }
    static func topicReply(_ topic: Topic, quoting post: Post) -> String { "\(topicReply(topic))?quote=\(id(post.id, "post"))" }
    static func topicWatch(_ topic: Topic) -> String { "\(Paths.topic(topic))/watch" }
    static func topicPin(_ topic: Topic) -> String { "\(Paths.topic(topic))/pin" }
    static func topicClose(_ topic: Topic) -> String { "\(Paths.topic(topic))/close" }
    static func topicMove(_ topic: Topic) -> String { "\(Paths.topic(topic))/move" }

    /// Where live.js asks for posts after the last one shown.
    static func topicLive(_ topic: Topic) -> String { "/live?topic=\(id(topic.id, "topic"))&after=\(topic.lastPostNumber)" }

    // MARK: Posts

    /// A post in its topic: the right page, and the post's anchor.
    static func post(_ post: Post, in topic: Topic) -> String { Paths.post(number: post.number, in: topic) }

    /// The post with this number in the topic (the first unread one, say).
    static func post(number: Int, in topic: Topic) -> String {
        "\(home(of: topic))?page=\(TopicPageData.page(of: number))#post-\(number)"
    }

    /// A post in its topic, for a post loaded without its topic (the post knows its topic's id).
    static func post(_ post: Post) -> String { postNumber(post.number, inTopic: post.topicID) }

    static func postNumber(_ number: Int, inTopic topicID: Int) -> String {
        "\(topic(id: topicID))?page=\(TopicPageData.page(of: number))#post-\(number)"
    }

    /// A post in a topic of a known kind, for rows that carry only ids.
    static func postNumber(_ number: Int, inTopic topicID: Int, kind: TopicKind) -> String {
        let base: String
        switch kind {
        case .forum: base = topic(id: topicID)
        case .news: base = newsItem(id: topicID)
        case .blog, .journal: base = blogEntry(id: topicID)
        }
        return "\(base)?page=\(TopicPageData.page(of: number))#post-\(number)"
    }

    static func postEdit(_ post: Post) -> String { "\(postBase(post))/edit" }
    static func postHistory(_ post: Post) -> String { "\(postBase(post))/history" }
    static func postReport(_ post: Post) -> String { "\(postBase(post))/report" }
    static func postReact(_ post: Post) -> String { "\(postBase(post))/react" }
    static func postRemove(_ post: Post) -> String { "\(postBase(post))/remove" }
    static func postUndoRemove(_ post: Post) -> String { "\(postBase(post))/undo-remove" }

    /// The calm page after a crisis rule or a hold, which also says when a held post is read.
    static func support(topic: Topic, post: Post) -> String {
        "/support?topic=\(id(topic.id, "topic"))&post=\(post.number)"
    }

    /// The same page after a private message, which leads back to its conversation.
    static func support(conversationID: Int) -> String { "/support?conversation=\(conversationID)" }

    // MARK: Categories and members

    /// A category's page; with a cursor, its next page of topics.
    static func category(_ category: Category, after cursor: TopicCursor? = nil) -> String {
        let base = "/c/\(LocalPath.encode(category.slug))"
        guard let cursor else { return base }
        return "\(base)?after=\(cursor.token)"
    }

    static func categoryWatch(_ category: Category) -> String { "\(Paths.category(category))/watch" }

    static func profile(_ member: Member) -> String { profile(pseudonym: member.pseudonym) }
    static func profile(pseudonym: String) -> String { "/u/\(LocalPath.encode(pseudonym))" }
    static func profileMute(_ member: Member) -> String { "\(profile(member))/mute" }

    // MARK: Moderation

    static func modPost(_ post: Post) -> String { modPost(id: id(post.id, "post")) }
    static func modPost(id postID: Int) -> String { "/mod/posts/\(postID)" }
    static func modPostEdit(_ post: Post) -> String { "\(modPost(post))/edit" }

    static func modMember(_ member: Member) -> String { modMember(id: id(member.id, "member")) }
    static func modMember(id memberID: UUID) -> String { "/mod/members/\(memberID.uuidString)" }

    /// An item in the review queue, by its anchor on the queue page.
    static func modQueueItem(_ item: ReviewItem) -> String { "/mod/queue#item-\(id(item.id, "review item").uuidString)" }
    static func modWelcome(_ item: ReviewItem) -> String { modWelcome(id: id(item.id, "review item")) }
    static func modWelcome(id itemID: UUID) -> String { "/mod/queue/\(itemID.uuidString)/welcome" }

    /// An alert, by its anchor on the alerts page.
    static func modAlert(id alertID: UUID) -> String { "/mod/alerts#alert-\(alertID.uuidString)" }
    static func modAlertAcknowledge(id alertID: UUID) -> String { "/mod/alerts/\(alertID.uuidString)/acknowledge" }

    // MARK: Administration

    static func adminCategory(_ category: Category) -> String { "/admin/categories/\(id(category.id, "category"))" }
    static func adminMemberRole(_ member: Member) -> String { "/admin/members/\(id(member.id, "member").uuidString)/role" }
    static func adminSourceArchive(_ source: Source) -> String { "/admin/sources/\(id(source.id, "source").uuidString)/archive" }
    static let modTriggers = "/mod/triggers"
    static let modTriggersTest = "/mod/triggers/test"
    /// The rules page filtered to the rules whose text holds `text`, at the list.
    static func modTriggers(showing text: String) -> String {
        "/mod/triggers?q=" + (text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "#rules-heading"
    }
    static let adminTriggers = "/admin/triggers"
    static let adminTriggersExport = "/admin/triggers/export.csv"
    static let adminTriggersImport = "/admin/triggers/import"
    static let adminTriggerFeedback = "/admin/triggers/feedback"
    static func adminTrigger(_ rule: TriggerRule) -> String { "/admin/triggers/\(id(rule.id, "trigger rule").uuidString)" }
    static func adminTriggerToggle(_ rule: TriggerRule) -> String { "\(adminTrigger(rule))/toggle" }
    static func adminPage(_ slug: PageSlug) -> String { "/admin/pages/\(slug.rawValue)" }
    static func adminPageVersion(_ slug: PageSlug, version: Int) -> String { "\(adminPage(slug))/versions/\(version)" }

    // MARK: The member's own pages

    static func notificationOpen(id notificationID: UUID) -> String { "/notifications/\(notificationID.uuidString)/open" }
    static func notificationRead(id notificationID: UUID) -> String { "/notifications/\(notificationID.uuidString)/read" }
    static func exportDownload(_ export: DataExport) -> String { "/settings/export/\(id(export.id, "export").uuidString)/download" }
    static func sessionEnd(_ session: MemberSession) -> String { "/settings/sessions/\(id(session.id, "session").uuidString)/end" }

    // MARK: No post left alone, and care for those who care

    /// Topics waiting for a response, on the moderators' queue page.
    static let modWaiting = "/mod/queue#waiting"
    static let adminSettings = "/admin/settings"
    /// Where a member chooses to be shown topics waiting for a reply.
    static let responderSetting = "/settings/notifications#responder-setting"
    static let careNoteClose = "/care-note/close"
    static let selfCare = "/manual/self-care"
    static let takeABreak = "/settings/break"

    // MARK: One-time links (mails, and the forms they open)

    static func verify(token: String) -> String { "/verify/\(token)" }
    static func passwordReset(token: String) -> String { "/password/reset/\(token)" }
    static func emailConfirm(token: String) -> String { "/settings/email/confirm/\(token)" }
    static func setup(token: String) -> String { "/setup/\(token)" }
    /// One channel, or "digest" for everything that comes in digests.
    static func unsubscribe(token: String, what: String) -> String { "/unsubscribe/\(token)?what=\(LocalPath.encode(what))" }

    // MARK: News and blogs

    /// Where a topic of each kind lives. `/t/:id` of a news item or blog entry redirects here,
    /// so links built from a bare topic id (notifications) still arrive.
    private static func home(of topic: Topic) -> String {
        let topicID = id(topic.id, "topic")
        switch topic.kind {
        case .forum: return Paths.topic(id: topicID)
        case .news: return newsItem(id: topicID)
        case .blog, .journal: return blogEntry(id: topicID)
        }
    }

    static let blogs = "/blogs"
    static let blogsNew = "/blogs/new"
    static func blogs(after cursor: TopicCursor) -> String { "/blogs?after=\(cursor.token)" }
    static func blogEntry(id topicID: Int) -> String { "/blogs/\(topicID)" }
    static func blogEntryEdit(_ topic: Topic) -> String { "\(blogEntry(id: id(topic.id, "blog entry")))/edit" }
    static func blog(_ member: Member) -> String { "\(profile(member))/blog" }
    static func blog(pseudonym: String) -> String { "/u/\(LocalPath.encode(pseudonym))/blog" }
    static func blog(_ member: Member, after cursor: TopicCursor) -> String { "\(blog(member))?after=\(cursor.token)" }
    static func blogFollow(_ member: Member) -> String { "\(blog(member))/follow" }

    static let news = "/news"
    static let newsNew = "/news/new"
    static func newsItem(id topicID: Int) -> String { "/news/\(topicID)" }
    static func newsItemEdit(id topicID: Int) -> String { "\(newsItem(id: topicID))/edit" }
    /// The next page of the news list, keeping its filters.
    static func news(filter: NewsQueries.Filter, themes: [Category], after cursor: TopicCursor) -> String {
        var query = ["after=\(cursor.token)"]
        if let kind = filter.kind { query.append("kind=\(kind.rawValue)") }
        if let slug = themes.first(where: { $0.id == filter.themeID })?.slug { query.append("theme=\(LocalPath.encode(slug))") }
        return "/news?" + query.joined(separator: "&")
    }

    // MARK: Messages

    static let messages = "/messages"
    static let messagesNew = "/messages/new"
    static let messageSettings = "/settings/messages"
    static func messagesNew(to member: Member) -> String { "/messages/new?to=\(LocalPath.encode(member.pseudonym))" }
    /// The next page of the conversation list; `unread` when the cursor's conversation was unread.
    static func messages(after cursor: TopicCursor, unread: Bool) -> String { "/messages?after=\(cursor.token)\(unread ? "&unread=1" : "")" }
    static func conversation(id conversationID: Int) -> String { "/messages/\(conversationID)" }
    static func conversation(_ conversation: Conversation) -> String { Paths.conversation(id: id(conversation.id, "conversation")) }
    static func conversation(id conversationID: Int, before messageID: Int) -> String { "/messages/\(conversationID)?before=\(messageID)" }
    static func message(id messageID: Int, in conversationID: Int) -> String { "/messages/\(conversationID)#message-\(messageID)" }
    static func conversationLeave(id conversationID: Int) -> String { "/messages/\(conversationID)/leave" }
    static func conversationMute(id conversationID: Int) -> String { "/messages/\(conversationID)/mute" }
    static func messageReport(id messageID: Int) -> String { "/messages/report/\(messageID)" }
    static func messageBlock(pseudonym: String) -> String { "/settings/messages/block?who=\(LocalPath.encode(pseudonym))" }
    static let messageBlockPost = "/settings/messages/block"
    static let messageUnblock = "/settings/messages/unblock"
    static func modMessageReport(_ item: ReviewItem) -> String { "/mod/messages/reports/\(id(item.id, "review item").uuidString)" }
    static func modMessageReport(id itemID: UUID) -> String { "/mod/messages/reports/\(itemID.uuidString)" }

    // MARK: Research

    static let researchConsent = "/research/consent"
    static let researchSettings = "/settings/research"
    static let researchWithdraw = "/settings/research/withdraw"
    static let researchStudies = "/research/studies"
    static let research = "/research"
    static func research(study studyID: UUID) -> String { "/research?study=\(studyID.uuidString)" }
    static func researchStudy(id studyID: UUID) -> String { "/research/studies/\(studyID.uuidString)" }
    static func researchWaves(study studyID: UUID) -> String { "\(researchStudy(id: studyID))/waves" }
    static func researchImport(study studyID: UUID) -> String { "\(researchStudy(id: studyID))/questionnaires" }
    static func researchExport(study studyID: UUID) -> String { "\(researchStudy(id: studyID))/export.zip" }
    static func researchQuestionnaire(id questionnaireID: UUID) -> String { "/research/questionnaires/\(questionnaireID.uuidString)" }
    static func researchQuestionnaireJSON(id questionnaireID: UUID) -> String { "\(researchQuestionnaire(id: questionnaireID)).json" }
    static func researchQuestionnaireItems(id questionnaireID: UUID) -> String { "\(researchQuestionnaire(id: questionnaireID))/items" }
    static func researchQuestionnaireItemDelete(id questionnaireID: UUID, item code: String) -> String {
        "\(researchQuestionnaireItems(id: questionnaireID))/\(code)/delete"
    }
    /// A member's questionnaires, and one invitation's answering (a section at a time).
    static let researchQuestionnaires = "/questionnaires"
    static func questionnaire(id invitationID: UUID) -> String { "/questionnaires/\(invitationID.uuidString)" }
    static func questionnaire(id invitationID: UUID, section: Int) -> String { "\(questionnaire(id: invitationID))?section=\(section + 1)" }
    static func support(questionnaire invitationID: UUID) -> String { "/support?questionnaire=\(invitationID.uuidString)" }

    // MARK: -

    private static func postBase(_ post: Post) -> String { "/p/\(id(post.id, "post"))" }

    private static func id(_ value: Int?, _ what: String) -> Int {
        guard let value else {
            assertionFailure("a link to a \(what) that has no id")
            return 0
        }
        return value
    }

    private static func id(_ value: UUID?, _ what: String) -> UUID {
        guard let value else {
            assertionFailure("a link to a \(what) that has no id")
            return UUID()
        }
        return value
    }
}
