import Fluent
import TextRules
import Vapor

/// Categories, topics, posts, reactions and the moderators' topic tools.
struct ForumRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("c", ":slug", use: category)
        members.get("t", ":topicID", use: topic)
        members.get("p", ":postID", "remove", use: removeForm)
        members.post("p", ":postID", "remove", use: remove)
        members.post("p", ":postID", "undo-remove", use: undoRemove)
        // Writing: a silenced member is stopped here, with what they typed kept on the page.
        let writers = members.grouped(RequireWriter())
        writers.get("t", "new", use: newTopicForm)
        writers.post("t", "new", use: newTopic)
        writers.get("t", ":topicID", "reply", use: replyForm)
        writers.post("t", ":topicID", "reply", use: reply)
        writers.get("p", ":postID", "edit", use: editForm)
        writers.post("p", ":postID", "edit", use: edit)
        writers.post("p", ":postID", "react", use: react)
        let moderators = routes.grouped(RequireRole.moderator)
        moderators.get("p", ":postID", "history", use: history)
        moderators.post("t", ":topicID", "pin", use: pin)
        moderators.post("t", ":topicID", "close", use: close)
        moderators.post("t", ":topicID", "move", use: move)
    }

    // MARK: Reading

    /// GET /c/:slug?after=: pinned topics first, then latest activity, keyset-paginated.
    func category(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let category = try await Category.query(on: req.db).filter(\.$slug == (req.parameters.get("slug") ?? "")).first(),
            !category.isInternal, !category.archived || Guardian.canManageTopics(viewer)
        else { throw AppError.notFound }
        let cursor = TopicCursor(token: req.query[String.self, at: "after"])
        let list = TopicList(database: req.db)
        let pinned =
            cursor == nil ? try await list.load(viewer: viewer.requireID(), categoryID: category.id, pinned: true, after: nil, limit: 20).rows : []
        let page = try await list.load(viewer: viewer.requireID(), categoryID: category.id, pinned: false, after: cursor)
        let level = try await Watching.level(of: viewer.requireID(), category: category.requireID(), on: req.db)
        return CategoryPage(category: category, pinned: pinned, rows: page.rows, next: page.next, watchLevel: level).render(req)
    }

    /// GET /t/:topicID?page=
    func topic(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let data = try await loadTopic(req, viewer: viewer) else { throw AppError.notFound }
        // A news item or blog entry lives on its own page (links built from a bare topic id land here).
        if data.topic.kind != .forum { return req.redirect(to: Paths.topic(data.topic, page: data.page)) }
        var page = TopicPage(data: data, viewer: viewer, categories: try await movableCategories(req, viewer: viewer))
        if data.page == data.pageCount, let rescued = try await FormRescue.take(req) { page.reply.body = rescued["body"] }
        return page.render(req)
    }

    /// GET /t/:topicID/reply?quote=: the reply form on its own, with a quoted passage.
    func replyForm(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let topic = try await findTopic(req, viewer: viewer) else { throw AppError.notFound }
        var form = PostForm()
        if let rescued = try await FormRescue.take(req) {
            form.body = rescued["body"]
        } else if let quoteID = req.query[Int.self, at: "quote"], let quoted = try await Post.find(quoteID, on: req.db),
            quoted.topicID == topic.id, Guardian.isPublic(quoted)
        {
            let member = try await Member.find(quoted.authorID, on: req.db)
            let author = member.map { $0.isClosed ? req.t("member.former") : $0.pseudonym } ?? ""
            // Someone who left and withdrew their text is not quoted either.
            if !(member?.isClosed == true && member?.leaveChoice == .removeText) {
                // "Anna wrote:" links back to the quoted post, so readers can see it whole.
                form.body =
                    Quoting.quote(
                        quoted.bodyMarkdown, author: author, intro: req.t("forum.quote_intro", ["name": author]),
                        link: Paths.post(quoted, in: topic)) + "\n\n"
            }
        }
        return ReplyPage(topic: topic, form: form).render(req)
    }

    /// GET /t/new?category=
    func newTopicForm(req: Request) async throws -> Response {
        var form = PostForm(title: "", body: "", category: req.query[String.self, at: "category"])
        if let rescued = try await FormRescue.take(req) {
            form = PostForm(title: rescued["title"], body: rescued["body"], category: rescued["category"] ?? form.category)
        }
        return NewTopicPage(categories: try await openCategories(req), form: form).render(req)
    }

    // MARK: Writing

    /// POST /t/new
    func newTopic(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let form = try req.content.decode(PostForm.self)
        let categories = try await openCategories(req)
        let category = categories.first { $0.slug == form.category }
        let outcome = try await Publisher(context: req.context(as: viewer)).publish(TextSubmission(form), to: .newTopic(category))
        return try req.respond(
            to: outcome,
            form: { state in
                NewTopicPage(categories: categories, form: form, errors: state.errors, preview: state.preview, privacy: state.privacy).render(req)
            },
            published: { text in
                req.redirect(to: Paths.topic(text.topic!), flash: Flash(.success, "flash.topic_started"))
            })
    }

    /// POST /t/:topicID/reply
    func reply(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let topic = try await findTopic(req, viewer: viewer) else { throw AppError.notFound }
        let form = try req.content.decode(PostForm.self)
        let outcome = try await Publisher(context: req.context(as: viewer))
            .publish(TextSubmission(form), to: .reply(topic, quotedAuthorID: nil, welcoming: nil))
        return try req.respond(
            to: outcome,
            form: { state in
                ReplyPage(topic: topic, form: form, errors: state.errors, preview: state.preview, privacy: state.privacy).render(req)
            },
            published: { text in
                // In a topic still waiting for a moderator, nobody else sees the reply yet: say so.
                req.redirect(
                    to: Paths.post(text.post!, in: topic),
                    flash: Guardian.isListed(topic) ? Flash(.success, "flash.reply_posted") : Flash(.info, "flash.reply_waits"))
            })
    }

    /// GET /p/:postID/edit
    func editForm(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (post, topic) = try await editablePost(req, viewer: viewer)
        var form = PostForm(title: post.number == 1 ? topic.title : nil, body: post.bodyMarkdown)
        if let rescued = try await FormRescue.take(req) {
            form.body = rescued["body"] ?? form.body
            if post.number == 1 { form.title = rescued["title"] ?? form.title }
        }
        return EditPostPage(post: post, form: form).render(req)
    }

    /// POST /p/:postID/edit
    func edit(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (post, topic) = try await editablePost(req, viewer: viewer)
        var form = try req.content.decode(PostForm.self)
        if post.number != 1 { form.title = nil }
        let outcome = try await Publisher(context: req.context(as: viewer)).publish(TextSubmission(form), to: .edit(post, in: topic))
        return try req.respond(
            to: outcome,
            form: { state in
                EditPostPage(post: post, form: form, errors: state.errors, preview: state.preview, privacy: state.privacy).render(req)
            },
            published: { _ in
                req.redirect(to: Paths.post(post, in: topic), flash: Flash(.success, "flash.post_edited"))
            })
    }

    /// GET /p/:postID/remove: "Delete this post?", with the text, before anything happens.
    func removeForm(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        // Someone else's post, or one that cannot be deleted, is not there to delete.
        guard let (post, topic) = try await visiblePost(req, viewer: viewer), Guardian.canRemove(post, by: viewer) else {
            throw AppError.notFound
        }
        return RemovePostPage(post: post, topic: topic).render(req)
    }

    /// POST /p/:postID/undo-remove: takes one's own deletion back within 10 minutes.
    func undoRemove(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let (post, topic) = try await visiblePost(req, viewer: viewer) else { throw AppError.notFound }
        switch try await UndoRemoveOwnPost(context: req.context(as: viewer)).run(post: post, in: topic) {
        case .restored: return req.redirect(to: Paths.post(post, in: topic), flash: Flash(.success, "flash.post_restored_own"))
        case .tooLate: return req.redirect(to: Paths.post(post, in: topic), flash: Flash(.info, "flash.post_undo_too_late"))
        case .notAllowed: throw AppError.notFound
        }
    }

    /// POST /p/:postID/remove: only one's own post.
    func remove(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let (post, topic) = try await visiblePost(req, viewer: viewer) else { throw AppError.notFound }
        guard try await RemoveOwnPost(context: req.context(as: viewer)).run(post: post, in: topic) else { throw AppError.forbidden }
        return req.redirect(to: Paths.post(post, in: topic), flash: Flash(.info, "flash.post_removed"))
    }

    /// POST /p/:postID/react: toggles "thank you" or "I recognise this".
    func react(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let (post, topic) = try await visiblePost(req, viewer: viewer) else { throw AppError.notFound }
        guard let kind = Reaction.Kind(rawValue: (try? req.content.get(String.self, at: "kind")) ?? "") else { throw Abort(.badRequest) }
        guard try await ToggleReaction(context: req.context(as: viewer)).run(post: post, in: topic, kind: kind) else { throw AppError.forbidden }
        return req.redirect(to: Paths.post(post, in: topic))
    }

    // MARK: Moderators

    /// GET /p/:postID/history: earlier versions of an edited post.
    func history(req: Request) async throws -> Response {
        guard let id = req.parameters.get("postID", as: Int.self), let post = try await Post.find(id, on: req.db),
            let topic = try await Topic.find(post.topicID, on: req.db), Guardian.canModerateText(in: topic)
        else { throw AppError.notFound }
        let revisions = try await PostRevision.query(on: req.db).filter(\.$postID == id).sort(\.$createdAt, .descending).all()
        return PostHistoryPage(post: post, revisions: revisions).render(req)
    }

    func pin(req: Request) async throws -> Response {
        try await updateTopic(req, action: "topic.pin") { $0.pinned.toggle() }
    }

    /// POST /t/:topicID/close (or reopen), with a reason.
    func close(req: Request) async throws -> Response {
        try await updateTopic(req, action: "topic.close", needsReason: true) { $0.closed.toggle() }
    }

    /// POST /t/:topicID/move with `category` (a slug).
    func move(req: Request) async throws -> Response {
        let slug = (try? req.content.get(String.self, at: "category")) ?? ""
        guard let target = try await Category.query(on: req.db).filter(\.$slug == slug).filter(\.$isInternal == false).first(),
            let targetID = target.id
        else {
            throw Abort(.badRequest)
        }
        return try await updateTopic(req, action: "topic.move", needsReason: true) { $0.categoryID = targetID }
    }

    /// Applies a moderator's change to a topic and audits it (with before and after).
    private func updateTopic(_ req: Request, action: String, needsReason: Bool = false, _ change: @Sendable (Topic) -> Void) async throws -> Response
    {
        let moderator = try req.requireMember()
        guard let id = req.parameters.get("topicID", as: Int.self), let topic = try await Topic.find(id, on: req.db) else { throw AppError.notFound }
        let reason = ModerationActionRoutes.reason(req)
        if needsReason && reason.isEmpty {
            return req.redirect(to: Paths.topic(topic) + "#mod-tools-heading", flash: Flash(.error, "mod.error.reason"))
        }
        let now = req.connect.clock.now()
        let state: @Sendable (Topic) -> String = { "pinned=\($0.pinned) closed=\($0.closed) category=\($0.categoryID)" }
        let before = state(topic)
        change(topic)
        let after = state(topic)
        try await req.db.transaction { db in
            try await topic.save(on: db)
            try await AuditEvent(
                actorID: moderator.id, action: action, subjectMemberID: topic.authorID,
                detail: "", createdAt: now, target: "topic:\(id)", reason: reason.isEmpty ? nil : reason,
                before: before, after: after
            ).create(on: db)
        }
        return req.redirect(to: Paths.topic(topic), flash: Flash(.success, "flash.saved"))
    }

    // MARK: Loading with permission checks

    private func loadTopic(_ req: Request, viewer: Member) async throws -> TopicPageData? {
        guard let id = req.parameters.get("topicID", as: Int.self) else { return nil }
        let unread = (req.storage[UnreadNotificationsKey.self] ?? 0) > 0
        let data = try await TopicPageData.load(
            topicID: id, page: req.query[Int.self, at: "page"] ?? 1, viewer: viewer,
            now: req.connect.clock.now(), unreadNotifications: unread, on: req.db)
        if unread { try await req.recountNotifications(of: viewer) }
        return data
    }

    /// A topic the viewer may see (Guardian); others answer 404.
    private func findTopic(_ req: Request, viewer: Member) async throws -> Topic? {
        guard let id = req.parameters.get("topicID", as: Int.self), let topic = try await Topic.find(id, on: req.db),
            Guardian.canSee(topic, by: viewer)
        else { return nil }
        return topic
    }

    /// A post in a topic the viewer may see (Guardian); others answer 404.
    private func visiblePost(_ req: Request, viewer: Member) async throws -> (Post, Topic)? {
        guard let id = req.parameters.get("postID", as: Int.self), let post = try await Post.find(id, on: req.db),
            let topic = try await Topic.find(post.topicID, on: req.db),
            Guardian.canSee(topic, by: viewer)
        else { return nil }
        return (post, topic)
    }

    /// The post, if the viewer may edit it; someone else's post answers 403.
    private func editablePost(_ req: Request, viewer: Member) async throws -> (Post, Topic) {
        guard let (post, topic) = try await visiblePost(req, viewer: viewer) else { throw AppError.notFound }
        // A news item's or blog entry's own text is edited on its own form, with its settings.
        guard post.number > 1 || topic.kind == .forum else { throw AppError.notFound }
        guard Guardian.canEdit(post, in: topic, by: viewer) else { throw AppError.forbidden }
        return (post, topic)
    }

    private func openCategories(_ req: Request) async throws -> [Category] {
        try await Category.ordered(on: req.db)
    }

    private func movableCategories(_ req: Request, viewer: Member) async throws -> [Category] {
        Guardian.canManageTopics(viewer) ? try await openCategories(req) : []
    }
}
