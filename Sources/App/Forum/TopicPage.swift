import Plot
import Vapor

/// A topic: 20 posts a page, reactions, "read by", quote/edit/remove links and the reply form.
struct TopicPage {
    let data: TopicPageData
    let viewer: Member
    /// Categories a moderator may move the topic to (empty for members).
    var categories: [Category] = []
    var reply = PostForm()
    var errors = FormErrors()
    var preview: String? = nil
    /// What a news item or a blog entry shows above its text instead of the forum's breadcrumb
    /// and title; its comments are this page's posts.
    var head: Component? = nil

    /// Comments on news and blogs; replies in the forum.
    private var isForum: Bool { data.topic.kind == .forum }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let topic = data.topic
        let canModerate = Guardian.canManageTopics(viewer)
        return req.page(topic.title, status: errors.isEmpty ? .ok : .unprocessableEntity) {
            if let head {
                head
            } else {
                El("nav", ["aria-label": t("forum.breadcrumb"), "class": "breadcrumb"]) {
                    El("a", ["href": "/"]) { T(t("nav.home")) }
                    T(" › ")
                    El("a", ["href": Paths.category(data.category)]) { T(data.category.name(c.locale)) }
                }
                El("div", ["class": "topic-head"]) {
                    El("h1", ["id": "topic-title"]) { T(topic.title) }
                    followMenu(c: c)
                }
            }
            if isForum && (topic.pinned || topic.closed) {
                El("p", ["class": "muted"]) {
                    if topic.pinned { El("span", ["class": "badge"]) { T(t("forum.pinned")) } }
                    if topic.closed {
                        T(" ")
                        El("span", ["class": "badge", "id": "topic-closed"]) { T(t("forum.closed_notice")) }
                    }
                }
            }
            if let unread = data.firstUnread {
                El("p") {
                    El("a", ["id": "first-unread", "href": Paths.post(number: unread, in: topic)]) { T(t("forum.first_unread")) }
                }
            }
            // A news item or blog entry has its own head: the follow menu comes under it.
            if head != nil { followMenu(c: c) }
            // On the last page, new posts can appear live (live.js); without JavaScript a reload shows them.
            El(
                "ol",
                [
                    "id": "posts", "class": "post-list topic-kind-\(topic.kind.rawValue)",
                    "start": String((data.page - 1) * TopicPageData.pageSize + 1),
                    "data-live": data.page == data.pageCount ? Paths.topicLive(topic) : nil,
                ]
            ) {
                for view in data.posts { postItem(view, c: c) }
            }
            pagination(c: c)
            if canModerate { moderatorTools(c: c) }
            if Guardian.canReply(to: topic, by: viewer) && !Guardian.canWrite(viewer, now: req.connect.clock.now()) {
                SilencedNotice(until: viewer.silencedUntil ?? Date(), context: c)
            } else if Guardian.canReply(to: topic, by: viewer) {
                El("section", ["aria-labelledby": "reply-heading", "id": "reply"]) {
                    El("h2", ["id": "reply-heading"]) { T(t(isForum ? "forum.reply" : "community.comment_heading")) }
                    PostEditor(
                        context: c, action: Paths.topicReply(topic), formID: "reply-form", text: reply.body ?? "",
                        errors: errors, preview: preview, submitLabel: t(isForum ? "forum.send_reply" : "community.send_comment"))
                }
            } else if !isForum && topic.closed && topic.kind != .journal {
                El("p", ["class": "muted", "id": "comments-off"]) { T(t("community.comments_off")) }
            }
        }
    }

    /// Watching, normal or muted: how closely the viewer follows this topic, in a small menu by
    /// the title (a `<details>`, no JavaScript needed) instead of a form above the posts.
    /// Nobody else comments on a private journal entry: nothing to follow there.
    private func followMenu(c: PageContext) -> Component {
        ComponentGroup {
            if data.topic.kind != .journal {
                El("details", ["class": "menu follow-menu", "id": "follow-menu"]) {
                    El("summary", ["id": "follow-menu-button"]) {
                        T(c.t("watch.menu", ["level": c.t("watch.short.\(data.watchLevel.rawValue)")]))
                    }
                    El("div", ["class": "menu-panel"]) {
                        WatchLevelForm(
                            context: c, action: Paths.topicWatch(data.topic),
                            label: c.t(isForum ? "watch.label" : "community.watch_label"), selected: data.watchLevel)
                    }
                }
            }
        }
    }

    private func postItem(_ view: PostView, c: PageContext) -> Component {
        let t = c.t
        let post = view.post
        let visible = Guardian.isPublic(post)
        if view.authorMuted && post.authorID != viewer.id {
            // Someone the viewer muted: folded away, one click to read anyway.
            return El("li", ["id": "post-\(post.number)", "class": "post post-muted"]) {
                El("details") {
                    El("summary") { T(t("mute.folded", ["name": c.shownName(view.authorPseudonym)])) }
                    El("div", ["class": "prose"]) { if visible && !view.textWithdrawn { CookedHTML(html: post.bodyHTML) } }
                }
            }
        }
        return El("li", ["id": "post-\(post.number)", "class": "post"]) {
            // The name alone carries the author's id (what tools and tests read); the article's
            // label adds the team badge, so screen readers hear both.
            let badged = TeamBadge.shows(view.authorRole)
            El("article", ["aria-labelledby": "post-\(post.number)-author" + (badged ? " post-\(post.number)-badge" : "")]) {
                El("header", ["class": "post-header"]) {
                    Avatar(pseudonym: view.authorPseudonym, choice: view.authorAvatar)
                    El("span", ["class": "post-author"]) {
                        // The name links to the profile (a former member has none to open).
                        if view.authorPseudonym.isEmpty {
                            El("span", ["id": "post-\(post.number)-author"]) { T(c.shownName(view.authorPseudonym)) }
                        } else {
                            El("a", ["class": "author-link", "href": Paths.profile(pseudonym: view.authorPseudonym)]) {
                                El("span", ["id": "post-\(post.number)-author"]) { T(view.authorPseudonym) }
                            }
                        }
                        TeamBadge(role: view.authorRole, context: c, id: "post-\(post.number)-badge")
                    }
                    T(" · ")
                    TimeAgo(date: post.createdAt, context: c)
                    if post.editedAt != nil {
                        T(" · ")
                        El("span", ["class": "muted"]) { T(t(post.moderatorEditedAt != nil ? "forum.edited_by_moderator" : "forum.edited")) }
                        if Guardian.canManageTopics(viewer) {
                            T(" ")
                            El("a", ["href": Paths.postHistory(post)]) { T(t("forum.history")) }
                        }
                    }
                }
                if view.textWithdrawn {
                    El("p", ["class": "post-placeholder muted"]) { T(t("forum.withdrawn_by_former_member")) }
                } else if !visible && post.screening != .journal {
                    El("p", ["class": "post-placeholder muted"]) {
                        T(
                            t(
                                post.screening == .hidden
                                    ? "forum.hidden_by_moderator"
                                    : post.screening == .removedByModerator
                                        ? "forum.removed_by_moderator"
                                        : post.screening == .held
                                            ? (post.authorID == viewer.id ? "forum.held_own" : "forum.held") : "forum.removed_by_author"))
                    }
                    // The author can take a deletion back for 10 minutes.
                    if Guardian.canUndoRemoval(of: post, by: viewer), Guardian.mayStillUndoRemoval(of: post, now: c.now) {
                        El("form", ["class": "inline-form undo-form", "method": "post", "action": Paths.postUndoRemove(post)]) {
                            CSRFField(token: c.csrfToken)
                            El("button", ["id": "post-\(post.number)-undo", "class": "button button-secondary button-small", "type": "submit"]) {
                                T(t("remove.undo"))
                            }
                        }
                    }
                    // The author learns why a moderator hid their post; nobody else sees the reason.
                    if post.screening == .hidden || post.screening == .removedByModerator, post.authorID == viewer.id || Guardian.canModerate(viewer)
                    {
                        El("p", ["class": "moderation-reason", "id": "post-\(post.number)-reason"]) {
                            T(post.moderationReason.map { t("forum.hidden_reason", ["reason": $0]) } ?? t("forum.hidden_by_reports"))
                        }
                    }
                }
                if !view.textWithdrawn, Guardian.canReadText(of: post, by: viewer) {
                    El("div", ["class": visible || post.screening == .journal ? "prose" : "prose moderator-view"]) { CookedHTML(html: post.bodyHTML) }
                }
                for note in view.moderatorNotes {
                    El("aside", ["class": "moderator-note", "aria-label": t("forum.moderator_note")]) { CookedHTML(html: note) }
                }
                if visible { reactions(view, c: c) }
                // Only once someone read it: "read by 0 members" says nothing kind.
                if let readBy = view.readBy, readBy > 0, post.screening != .journal {
                    El("p", ["class": "muted read-by"]) { T(t("forum.read_by", count: readBy)) }
                }
                El("div", ["class": "post-actions"]) {
                    if visible && Guardian.canReply(to: data.topic, by: viewer) {
                        El("a", ["href": Paths.topicReply(data.topic, quoting: post)]) { T(t("forum.quote")) }
                    }
                    if let edit = editPath(of: post) {
                        El("a", ["href": edit]) { T(t("forum.edit")) }
                    }
                    if visible && post.authorID != viewer.id {
                        El("a", ["href": Paths.postReport(post), "class": "report-link"]) { T(t("forum.report")) }
                    }
                    if Guardian.canModerate(viewer) {
                        El("a", ["href": Paths.modPost(post), "class": "moderate-link"]) { T(t("forum.moderate")) }
                    }
                    // Deleting asks first, on a page of its own (no JavaScript needed).
                    if Guardian.canRemove(post, by: viewer) {
                        El("a", ["class": "remove-link", "href": Paths.postRemove(post)]) { T(t("forum.remove")) }
                    }
                }
            }
        }
    }

    /// Where the viewer edits a post: a blog entry's or news item's own text on its own form
    /// (with its settings); every other post on the forum's.
    private func editPath(of post: Post) -> String? {
        let topic = data.topic
        guard post.number == 1 && !isForum else { return Guardian.canEdit(post, in: topic, by: viewer) ? Paths.postEdit(post) : nil }
        switch topic.kind {
        case .blog, .journal:
            return Guardian.canEditBlogEntry(topic, by: viewer) && (Guardian.isPublic(post) || post.screening == .journal)
                ? Paths.blogEntryEdit(topic) : nil
        case .news:
            return Guardian.canEditNews(viewer) ? Paths.newsItemEdit(id: topic.id ?? 0) : nil
        case .forum:
            return nil
        }
    }

    /// One form for both reactions (a button each), or the counts alone for whoever may not react.
    private func reactions(_ view: PostView, c: PageContext) -> Component {
        let t = c.t
        let canReact = Guardian.canReact(to: view.post, by: viewer)
        let content = ComponentGroup {
            if canReact { CSRFField(token: c.csrfToken) }
            for kind in Reaction.Kind.allCases {
                let count = view.reactionCounts[kind] ?? 0
                let label = t("reaction.\(kind.rawValue)")
                if canReact {
                    El(
                        "button",
                        [
                            "class": "button button-small", "type": "submit", "name": "kind", "value": kind.rawValue,
                            "aria-pressed": view.mine.contains(kind) ? "true" : "false",
                        ]
                    ) {
                        T("\(label) (\(count))")
                    }
                } else if count > 0 {
                    El("span", ["class": "reaction-count"]) { T("\(label): \(count)") }
                }
                if let names = view.reactors[kind], !names.isEmpty {
                    El("span", ["class": "muted reactors"]) { T(" — " + names.map(c.shownName).joined(separator: ", ")) }
                }
            }
        }
        guard canReact else { return El("div", ["class": "reactions"]) { content } }
        return El("form", ["class": "reactions", "method": "post", "action": Paths.postReact(view.post)]) { content }
    }

    private func pagination(c: PageContext) -> Component {
        let t = c.t
        return ComponentGroup {
            if data.pageCount > 1 {
                El("nav", ["aria-label": t("forum.pages"), "class": "pagination"]) {
                    El("ul") {
                        for page in 1...data.pageCount {
                            El("li") {
                                El("a", ["href": Paths.topicPage(data.topic, page), "aria-current": page == data.page ? "page" : nil]) {
                                    T(String(page))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func moderatorTools(c: PageContext) -> Component {
        let t = c.t
        return El("section", ["class": "card", "aria-labelledby": "mod-tools-heading"]) {
            El("h2", ["id": "mod-tools-heading"]) { T(t("forum.mod_tools")) }
            if isForum {
                El("form", ["class": "inline-form", "method": "post", "action": Paths.topicPin(data.topic)]) {
                    CSRFField(token: c.csrfToken)
                    El("button", ["id": "pin-submit", "class": "button button-secondary", "type": "submit"]) {
                        T(t(data.topic.pinned ? "forum.unpin" : "forum.pin"))
                    }
                }
            }
            El("form", ["class": "stack-form", "method": "post", "action": Paths.topicClose(data.topic)]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(id: "close-reason", type: "text", label: t("mod.reason"), maxLength: 2_000, name: "reason")
                El("button", ["id": "close-submit", "class": "button button-secondary", "type": "submit"]) {
                    T(t(data.topic.closed ? "forum.reopen" : "forum.close"))
                }
            }
            if isForum && !categories.isEmpty {
                El("form", ["class": "stack-form", "method": "post", "action": Paths.topicMove(data.topic)]) {
                    CSRFField(token: c.csrfToken)
                    El("div", ["class": "field"]) {
                        El("label", ["for": "move-category"]) { T(t("forum.move_to")) }
                        El("select", ["id": "move-category", "name": "category"]) {
                            for category in categories {
                                El("option", ["value": category.slug, "selected": category.id == data.topic.categoryID ? "" : nil]) {
                                    T(category.name(c.locale))
                                }
                            }
                        }
                    }
                    TextFieldRow(id: "move-reason", type: "text", label: t("mod.reason"), maxLength: 2_000, name: "reason")
                    El("button", ["id": "move-submit", "class": "button button-secondary", "type": "submit"]) { T(t("forum.move")) }
                }
            }
        }
    }
}
