import Fluent
import TextRules
import Vapor

/// Screening everything new, and the review queue. Moderators and admins only.
struct ScreeningRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let mod = routes.grouped(RequireRole.moderator).grouped("mod")
        mod.get("screening", use: screening)
        mod.post("screening", use: markScreened)
        mod.get("queue", use: queue)
        // The queue's forms post to the queue's own URL, naming the item: a failed form comes
        // back on the page it was on, with the reason as typed.
        mod.post("queue", use: queueAction)
        mod.post("queue", ":itemID", "claim", use: claim)
        mod.post("queue", ":itemID", "resolve", use: resolve)
        mod.get("queue", ":itemID", "welcome", use: welcomeForm)
        mod.post("queue", ":itemID", "welcome", use: welcome)
    }

    /// GET /mod/screening?after=: unscreened posts, oldest first, grouped by topic.
    func screening(req: Request) async throws -> Response {
        let after = req.query[Int.self, at: "after"]
        let page = try await ScreeningQueue(database: req.db).load(after: after)
        let categories = try await Category.ordered(includingArchived: true, on: req.db)
        return ScreeningPage(rows: page.rows, more: page.more, after: after, categories: categories).render(req)
    }

    /// POST /mod/screening: marks the listed posts (one page) screened.
    func markScreened(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let ids = ((try? req.content.get([Int].self, at: "post")) ?? []).prefix(ScreeningQueue.pageSize * 2)
        let now = req.connect.clock.now()
        let count = try await req.db.transaction { db in
            let count = try await ScreeningQueue(database: db).markScreened(postIDs: Array(ids), by: me.requireID(), now: now)
            if count > 0 {
                try await AuditEvent(
                    actorID: me.id, action: "posts.screen", subjectMemberID: nil, detail: String(count),
                    createdAt: now, target: "posts:\(ids.map(String.init).joined(separator: ","))"
                ).create(on: db)
            }
            return count
        }
        return req.redirect(
            to: "/mod/screening", flash: Flash(count > 0 ? .success : .info, count > 0 ? "mod.screening.done" : "mod.screening.nothing"))
    }

    /// GET /mod/queue?page=: review items by priority; on the first page, topics waiting for a response.
    func queue(req: Request) async throws -> Response {
        let page = max(1, req.query[Int.self, at: "page"] ?? 1)
        let result = try await ReviewQueue(database: req.db).load(page: page)
        var view = QueuePage(rows: result.rows, page: page, more: result.more, me: try req.requireMember())
        view.waiting = try await waiting(req, page: page)
        if let rescued = try await FormRescue.take(req), rescued["_form"] == "resolve" {
            view.typedItem = rescued["item"] ?? ""
            view.typedOutcome = rescued["outcome"] ?? ""
            view.typedReason = rescued["reason"] ?? ""
        }
        return view.render(req)
    }

    /// POST /mod/queue: claim or resolve the item named in the form.
    func queueAction(req: Request) async throws -> Response {
        guard let id = try? req.content.get(UUID.self, at: "item") else { throw AppError.notFound }
        req.parameters.set("itemID", to: id.uuidString)
        switch (try? req.content.get(String.self, at: "_form")) ?? "" {
        case "claim": return try await claim(req: req)
        case "resolve": return try await resolve(req: req)
        default: throw Abort(.badRequest)
        }
    }

    /// POST /mod/queue/:itemID/claim: others see that this item is being handled.
    func claim(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let item = try await openItem(req)
        try await ReviewDesk(context: req.context(as: me)).claim(item)
        return req.redirect(to: Paths.modQueueItem(item), flash: Flash(.success, "mod.queue.claimed"))
    }

    /// POST /mod/queue/:itemID/resolve: with an outcome and a reason.
    func resolve(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let item = try await openItem(req)
        // Only an outcome that fits the item's kind (no "welcomed" on a crisis).
        let outcome = ReviewItem.Outcome(rawValue: (try? req.content.get(String.self, at: "outcome")) ?? "")
            .flatMap { item.kind.outcomes.contains($0) ? $0 : nil }
        let reason = ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let outcome, !reason.isEmpty, reason.count <= 2_000 else {
            let id = try item.requireID().uuidString
            // The page the form was on, so the item is still there to show its error.
            let page = max(1, (try? req.content.get(Int.self, at: "page")) ?? 1)
            let result = try await ReviewQueue(database: req.db).load(page: page)
            var view = QueuePage(rows: result.rows, page: page, more: result.more, me: me)
            view.waiting = try await waiting(req, page: page)
            if outcome == nil { view.errors.add("outcome-\(id)", "mod.queue.error.outcome") }
            if reason.isEmpty || reason.count > 2_000 { view.errors.add("reason-\(id)", "mod.queue.error.reason") }
            view.typedItem = id
            view.typedOutcome = (try? req.content.get(String.self, at: "outcome")) ?? ""
            view.typedReason = (try? req.content.get(String.self, at: "reason")) ?? ""
            return view.render(req)
        }
        try await ReviewDesk(context: req.context(as: me)).resolve(item, outcome: outcome, reason: reason)
        return req.redirect(to: "/mod/queue", flash: Flash(.success, "mod.queue.resolved"))
    }

    /// GET /mod/queue/:itemID/welcome: the reply, prefilled from the template in the member's language.
    func welcomeForm(req: Request) async throws -> Response {
        let (item, topic, member) = try await welcomeItem(req)
        let body = try await WelcomeQueue.template(for: member, fallback: req.connect.config.defaultLocale, on: req.db)
        return WelcomePage(item: item, topic: topic, member: member, body: body).render(req)
    }

    /// POST /mod/queue/:itemID/welcome: posts the reply as the moderator and resolves the item.
    func welcome(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let (item, topic, member) = try await welcomeItem(req)
        let form = try req.content.decode(PostForm.self)
        // The welcome is member-visible text like any other: the one publishing path.
        let outcome = try await Publisher(context: req.context(as: me))
            .publish(TextSubmission(form), to: .reply(topic, quotedAuthorID: member.id, welcoming: member.id))
        if case .published(let text) = outcome, let post = text.post {
            try await ReviewDesk(context: req.context(as: me)).resolve(item, outcome: .welcomed, reason: "welcome reply #\(post.number)")
        }
        return try req.respond(
            to: outcome,
            form: { state in
                WelcomePage(
                    item: item, topic: topic, member: member, body: form.body ?? "", errors: state.errors, preview: state.preview,
                    privacy: state.privacy
                ).render(req)
            },
            published: { text in
                req.redirect(to: Paths.post(text.post!, in: topic), flash: Flash(.success, "mod.welcome.sent"))
            })
    }

    private func welcomeItem(_ req: Request) async throws -> (ReviewItem, Topic, Member) {
        let item = try await openItem(req)
        guard item.kind == .welcome, let postID = item.postID, let post = try await Post.find(postID, on: req.db),
            let topic = try await Topic.find(post.topicID, on: req.db),
            let member = try await Member.find(item.memberID, on: req.db)
        else { throw AppError.notFound }
        return (item, topic, member)
    }

    /// Topics waiting for a response, shown below the review items on the queue's first page.
    private func waiting(_ req: Request, page: Int) async throws -> WaitingList? {
        guard page == 1 else { return nil }
        return try await ResponseWatch.load(on: req.db, now: req.connect.clock.now()).waiting()
    }

    private func openItem(_ req: Request) async throws -> ReviewItem {
        guard let id = req.parameters.get("itemID", as: UUID.self), let item = try await ReviewItem.find(id, on: req.db),
            item.resolvedAt == nil
        else { throw AppError.notFound }
        return item
    }
}
