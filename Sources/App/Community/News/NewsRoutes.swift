import Fluent
import Vapor

/// News and publications by the team. Members read, filter, react and comment (comments are
/// posts: the forum's routes `/t/:id/reply` and `/p/:id/…` serve them); editors write, schedule
/// and change items. Visitors read the items an editor made public, and nothing else.
struct NewsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("news", use: list)
        routes.get("news", ":topicID", use: item)
        let editors = routes.grouped(RequireRole.editor).grouped(RequireWriter())
        editors.get("news", "new", use: newForm)
        editors.post("news", "new", use: create)
        editors.get("news", ":topicID", "edit", use: editForm)
        editors.post("news", ":topicID", "edit", use: edit)
    }

    // MARK: Reading

    /// GET /news?kind=&theme=&after=: newest first, keyset-paginated; public items for visitors.
    func list(req: Request) async throws -> Response {
        let themes = try await Category.ordered(on: req.db)
        var filter = NewsQueries.Filter()
        filter.kind = NewsItem.Kind(rawValue: req.query[String.self, at: "kind"] ?? "")
        filter.themeID = themes.first { $0.slug == req.query[String.self, at: "theme"] }?.id
        filter.publicOnly = req.member == nil
        let cursor = TopicCursor(token: req.query[String.self, at: "after"])
        let page = try await NewsQueries.published(filter, after: cursor, locale: req.locale, on: req.db)
        let canWrite = req.member.map(Guardian.canEditNews) ?? false
        let unpublished = canWrite && cursor == nil ? try await NewsQueries.unpublished(locale: req.locale, on: req.db) : []
        let next = page.next.map { Paths.news(filter: filter, themes: themes, after: $0) }
        return NewsPage(
            rows: page.rows, next: next, themes: themes, filter: filter, unpublished: unpublished, canWrite: canWrite,
            visitor: req.member == nil
        ).render(req)
    }

    /// GET /news/:topicID?page=: the item, its reactions and comments; a visitor reads a public one.
    func item(req: Request) async throws -> Response {
        guard let id = req.parameters.get("topicID", as: Int.self) else { throw AppError.notFound }
        guard let viewer = req.member else { return try await publicItem(req, id: id) }
        let unread = (req.storage[UnreadNotificationsKey.self] ?? 0) > 0
        guard
            let data = try await TopicPageData.load(
                topicID: id, page: req.query[Int.self, at: "page"] ?? 1, viewer: viewer,
                now: req.connect.clock.now(), unreadNotifications: unread, on: req.db),
            data.topic.kind == .news, let (item, theme) = try await NewsQueries.itemWithTheme(id, on: req.db)
        else { throw AppError.notFound }
        if unread { try await req.recountNotifications(of: viewer) }
        let head = head(for: item, theme: theme, topic: data.topic, post: data.posts.first { $0.post.number == 1 }?.post, req: req)
        // The reader's language, where the item has a text in it.
        if let first = data.posts.first(where: { $0.post.number == 1 }) { first.post.bodyHTML = head.html }
        var page = TopicPage(data: data, viewer: viewer, head: head.component)
        if data.page == data.pageCount, let rescued = try await FormRescue.take(req) { page.reply.body = rescued["body"] }
        return page.render(req)
    }

    /// A visitor: a published public item, or the way in (the same answer for any other id).
    private func publicItem(_ req: Request, id: Int) async throws -> Response {
        guard let (item, theme) = try await NewsQueries.itemWithTheme(id, on: req.db), item.isPublic, item.published,
            let topic = try await Topic.find(id, on: req.db), Guardian.isListed(topic),
            let post = try await Post.query(on: req.db).filter(\.$topicID == id).filter(\.$number == 1).first(), Guardian.isPublic(post)
        else {
            return req.redirect(to: "/login?next=\(LocalPath.encode(Paths.newsItem(id: id)))", flash: Flash(.info, "flash.login_needed"))
        }
        let head = head(for: item, theme: theme, topic: topic, post: post, req: req)
        return PublicNewsItemPage(head: head.component, html: head.html).render(req)
    }

    private func head(for item: NewsItem, theme: Category?, topic: Topic, post: Post?, req: Request) -> (component: NewsItemHead, html: String) {
        let texts = post.map { item.texts(for: req.locale, topic: topic, post: $0) } ?? (title: topic.title, summary: item.summary, html: "")
        let head = NewsItemHead(
            item: item, title: texts.title, summary: texts.summary, publishedAt: item.published ? topic.createdAt : nil, theme: theme,
            context: req.pageContext)
        return (head, texts.html)
    }

    // MARK: Writing (editors)

    /// GET /news/new
    func newForm(req: Request) async throws -> Response {
        let rescued = try await FormRescue.take(req)
        return NewsEditorPage(
            topicID: nil, form: rescued.map(NewsForm.init(rescued:)) ?? .blank, themes: try await Category.ordered(on: req.db),
            sources: try await sources(req)
        ).render(req)
    }

    /// POST /news/new
    func create(req: Request) async throws -> Response {
        let editor = try req.requireMember()
        let form = try req.content.decode(NewsForm.self)
        let (themes, sources) = (try await Category.ordered(on: req.db), try await sources(req))
        let draft = form.draft(themes: themes, sources: sources, zone: DateFormatting.zone, now: req.connect.clock.now())
        let outcome = try await Publisher(context: req.context(as: editor)).publish(TextSubmission(form.post), to: .newsItem(draft))
        return try req.respond(
            to: outcome,
            form: { state in
                NewsEditorPage(
                    topicID: nil, form: form, themes: themes, sources: sources, errors: state.errors, preview: state.preview, privacy: state.privacy
                ).render(req)
            },
            published: { text in
                req.redirect(to: Paths.topic(text.topic!), flash: Flash(.success, Self.flash(for: draft, now: req.connect.clock.now())))
            })
    }

    /// GET /news/:topicID/edit
    func editForm(req: Request) async throws -> Response {
        let (item, topic, post) = try await findItem(req)
        let rescued = try await FormRescue.take(req)
        var form = NewsForm(item: item, topic: topic, post: post, zone: DateFormatting.zone)
        let themes = try await Category.ordered(on: req.db)
        form.theme = themes.first { $0.id == item.themeID }?.slug
        return NewsEditorPage(
            topicID: topic.id, form: rescued.map(NewsForm.init(rescued:)) ?? form, themes: themes, sources: try await sources(req)
        ).render(req)
    }

    /// POST /news/:topicID/edit
    func edit(req: Request) async throws -> Response {
        let editor = try req.requireMember()
        let (item, topic, post) = try await findItem(req)
        let form = try req.content.decode(NewsForm.self)
        let (themes, sources) = (try await Category.ordered(on: req.db), try await sources(req))
        let draft = form.draft(themes: themes, sources: sources, zone: DateFormatting.zone, now: req.connect.clock.now())
        let outcome = try await Publisher(context: req.context(as: editor))
            .publish(TextSubmission(form.post), to: .editNewsItem(post, in: topic, item, draft))
        return try req.respond(
            to: outcome,
            form: { state in
                NewsEditorPage(
                    topicID: topic.id, form: form, themes: themes, sources: sources, errors: state.errors, preview: state.preview,
                    privacy: state.privacy
                ).render(req)
            },
            published: { _ in req.redirect(to: Paths.topic(topic), flash: Flash(.success, "flash.saved")) })
    }

    // MARK: Loading

    private func findItem(_ req: Request) async throws -> (NewsItem, Topic, Post) {
        guard let id = req.parameters.get("topicID", as: Int.self), let item = try await NewsQueries.item(id, on: req.db),
            let topic = try await Topic.find(id, on: req.db), topic.kind == .news,
            let post = try await Post.query(on: req.db).filter(\.$topicID == id).filter(\.$number == 1).first()
        else { throw AppError.notFound }
        return (item, topic, post)
    }

    /// The evidence-based sources an editor may pick from.
    private func sources(_ req: Request) async throws -> [Source] {
        try await Source.query(on: req.db).filter(\.$archived == false).sort(\.$title).all()
    }

    private static func flash(for draft: NewsItemDraft, now: Date) -> String {
        guard let at = draft.publishAt else { return "flash.news_draft" }
        return at > now ? "flash.news_scheduled" : "flash.news_published"
    }
}
