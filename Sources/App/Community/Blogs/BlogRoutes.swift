import Fluent
import Vapor

/// Member blogs: everyone's latest entries, a member's blog, an entry with its comments, and
/// writing, changing and following. Comments, reactions, reports and removal are the forum's
/// own routes (`/t/:id/reply`, `/p/:id/…`): an entry is a topic, its comments are posts.
struct BlogRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("blogs", use: list)
        members.get("blogs", ":topicID", use: entry)
        members.get("u", ":pseudonym", "blog", use: memberBlog)
        members.post("u", ":pseudonym", "blog", "follow", use: follow)
        let writers = members.grouped(RequireWriter())
        writers.get("blogs", "new", use: newForm)
        writers.post("blogs", "new", use: create)
        writers.get("blogs", ":topicID", "edit", use: editForm)
        writers.post("blogs", ":topicID", "edit", use: edit)
    }

    // MARK: Reading

    /// GET /blogs?after=: everyone's latest entries, newest first, keyset-paginated.
    func list(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let page = try await BlogQueries.entries(
            by: nil, viewer: viewer, after: TopicCursor(token: req.query[String.self, at: "after"]), on: req.db)
        return BlogsPage(rows: page.rows, next: page.next, viewer: viewer).render(req)
    }

    /// GET /u/:pseudonym/blog?after=: one member's entries (their own journal too, for them alone).
    func memberBlog(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let author = try await findAuthor(req)
        let page = try await BlogQueries.entries(
            by: author.requireID(), viewer: viewer, after: TopicCursor(token: req.query[String.self, at: "after"]), on: req.db)
        let level = try await BlogQueries.followLevel(of: viewer.requireID(), author: author.requireID(), on: req.db)
        return MemberBlogPage(author: author, rows: page.rows, next: page.next, viewer: viewer, followLevel: level).render(req)
    }

    /// GET /blogs/:topicID?page=: the entry, its reactions and comments, and the comment form.
    func entry(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let id = req.parameters.get("topicID", as: Int.self) else { throw AppError.notFound }
        let unread = (req.storage[UnreadNotificationsKey.self] ?? 0) > 0
        guard
            let data = try await TopicPageData.load(
                topicID: id, page: req.query[Int.self, at: "page"] ?? 1, viewer: viewer,
                now: req.connect.clock.now(), unreadNotifications: unread, on: req.db),
            data.topic.kind == .blog || data.topic.kind == .journal,
            let author = try await Member.find(data.topic.authorID, on: req.db)
        else { throw AppError.notFound }
        if unread { try await req.recountNotifications(of: viewer) }
        var page = TopicPage(data: data, viewer: viewer, head: BlogEntryHead(topic: data.topic, author: author, context: req.pageContext))
        if data.page == data.pageCount, let rescued = try await FormRescue.take(req) { page.reply.body = rescued["body"] }
        return page.render(req)
    }

    // MARK: Writing

    /// GET /blogs/new
    func newForm(req: Request) async throws -> Response {
        let rescued = try await FormRescue.take(req)
        return BlogEntryEditorPage(topic: nil, form: rescued.map(BlogEntryForm.init(rescued:)) ?? .blank).render(req)
    }

    /// POST /blogs/new
    func create(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let form = try req.content.decode(BlogEntryForm.self)
        let outcome = try await Publisher(context: req.context(as: viewer))
            .publish(TextSubmission(form.post), to: .blogEntry(form.settings))
        return try req.respond(
            to: outcome,
            form: { state in
                BlogEntryEditorPage(topic: nil, form: form, errors: state.errors, preview: state.preview, privacy: state.privacy).render(req)
            },
            published: { text in
                req.redirect(
                    to: Paths.topic(text.topic!),
                    flash: Flash(.success, text.topic?.kind == .journal ? "flash.journal_saved" : "flash.entry_published"))
            })
    }

    /// GET /blogs/:topicID/edit: only the author.
    func editForm(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (topic, post) = try await ownEntry(req, viewer: viewer)
        let rescued = try await FormRescue.take(req)
        return BlogEntryEditorPage(topic: topic, form: rescued.map(BlogEntryForm.init(rescued:)) ?? BlogEntryForm(entry: topic, post: post))
            .render(req)
    }

    /// POST /blogs/:topicID/edit
    func edit(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (topic, post) = try await ownEntry(req, viewer: viewer)
        let form = try req.content.decode(BlogEntryForm.self)
        let outcome = try await Publisher(context: req.context(as: viewer))
            .publish(TextSubmission(form.post), to: .editBlogEntry(post, in: topic, form.settings))
        return try req.respond(
            to: outcome,
            form: { state in
                BlogEntryEditorPage(topic: topic, form: form, errors: state.errors, preview: state.preview, privacy: state.privacy).render(req)
            },
            published: { _ in req.redirect(to: Paths.topic(topic), flash: Flash(.success, "flash.saved")) })
    }

    /// POST /u/:pseudonym/blog/follow with `level`.
    func follow(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let author = try await findAuthor(req)
        guard let level = WatchLevel(rawValue: (try? req.content.get(String.self, at: "level")) ?? "") else { throw Abort(.badRequest) }
        guard try await FollowBlog(context: req.context(as: viewer)).run(author: author, level: level) else { throw AppError.forbidden }
        return req.redirect(to: Paths.blog(author), flash: Flash(.success, "flash.saved"))
    }

    // MARK: Loading with permission checks

    /// A verified member who has not left; anyone else answers 404.
    private func findAuthor(_ req: Request) async throws -> Member {
        let key = Member.key(forPseudonym: req.parameters.get("pseudonym") ?? "")
        guard let member = try await Member.query(on: req.db).filter(\.$pseudonymKey == key).first(), member.isVerified, !member.isClosed
        else { throw AppError.notFound }
        return member
    }

    /// The viewer's own entry: someone else's that they can see answers 403, one they cannot see 404.
    private func ownEntry(_ req: Request, viewer: Member) async throws -> (Topic, Post) {
        guard let id = req.parameters.get("topicID", as: Int.self), let topic = try await Topic.find(id, on: req.db),
            topic.kind == .blog || topic.kind == .journal, Guardian.canSee(topic, by: viewer),
            let post = try await Post.query(on: req.db).filter(\.$topicID == id).filter(\.$number == 1).first()
        else { throw AppError.notFound }
        guard Guardian.canEditBlogEntry(topic, by: viewer), Guardian.isPublic(post) || post.screening == .journal else {
            throw AppError.forbidden
        }
        return (topic, post)
    }
}
