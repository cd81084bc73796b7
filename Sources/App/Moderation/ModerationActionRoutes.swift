import Fluent
import SQLKit
import Vapor

/// Acting on a post or a member. Moderators and admins only; every action needs a reason and
/// is written to the audit log.
struct ModerationActionRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let mod = routes.grouped(RequireRole.moderator).grouped("mod")
        mod.get("posts", ":postID", use: post)
        // Each page's forms post to the page's own URL (`_form` names the action), so a failed
        // form is shown again where it was and a reload never lands on a path without a page.
        mod.post("posts", ":postID", use: postAction)
        mod.post("members", ":memberID", use: memberAction)
        // Older action paths still take a POST; a GET of one goes back to its page.
        for action in ["hide", "restore", "refer", "remove"] {
            mod.get("posts", ":postID", .constant(action)) { req async throws -> Response in
                guard let id = req.parameters.get("postID", as: Int.self) else { throw AppError.notFound }
                return req.redirect(to: Paths.modPost(id: id))
            }
        }
        for action in ["act", "contact"] {
            mod.get("members", ":memberID", .constant(action)) { req async throws -> Response in
                guard let id = req.parameters.get("memberID", as: UUID.self) else { throw AppError.notFound }
                return req.redirect(to: Paths.modMember(id: id))
            }
        }
        mod.post("posts", ":postID", "hide", use: hide)
        mod.post("posts", ":postID", "restore", use: restore)
        mod.post("posts", ":postID", "refer", use: refer)
        mod.post("posts", ":postID", "remove", use: remove)
        mod.get("posts", ":postID", "edit", use: editForm)
        mod.post("posts", ":postID", "edit", use: edit)
        mod.get("members", use: members)
        mod.get("members", ":memberID", use: member)
        mod.post("members", ":memberID", "act", use: act)
        mod.post("members", ":memberID", "contact", use: contact)
    }

    // MARK: Posts

    /// GET /mod/posts/:postID
    func post(req: Request) async throws -> Response {
        let (post, topic, author) = try await findPost(req)
        var page = try await PostActionPage.load(post: post, topic: topic, author: author, on: req.db)
        page.rescued = try await FormRescue.take(req) ?? [:]
        page.triggerScan = try await req.triggerEngine.scan(post.bodyMarkdown, on: req.db)
        return page.render(req)
    }

    /// POST /mod/posts/:postID: the action named by the form's `_form`.
    func postAction(req: Request) async throws -> Response {
        switch (try? req.content.get(String.self, at: "_form")) ?? "" {
        case "hide": return try await hide(req: req)
        case "restore": return try await restore(req: req)
        case "remove": return try await remove(req: req)
        case "refer": return try await refer(req: req)
        case "trigger-feedback":
            let (post, _, author) = try await findPost(req)
            return try await TriggerRulesRoutes.recordFeedback(req: req, post: post, author: author)
        default: throw Abort(.badRequest)
        }
    }

    /// POST /mod/members/:memberID: the action named by the form's `_form`.
    func memberAction(req: Request) async throws -> Response {
        switch (try? req.content.get(String.self, at: "_form")) ?? "" {
        case "act": return try await act(req: req)
        case "contact": return try await contact(req: req)
        default: throw Abort(.badRequest)
        }
    }

    /// POST /mod/posts/:postID/hide
    func hide(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let (post, topic, author) = try await findPost(req)
        let reason = Self.reason(req)
        guard PostModeration.mayHide(post), !reason.isEmpty else {
            var page = try await PostActionPage.load(post: post, topic: topic, author: author, on: req.db)
            page.errors.add("hide-reason", "mod.error.reason")
            return page.render(req)
        }
        try await PostModeration(context: req.context(as: me)).hide(post, reason: reason)
        return req.redirect(to: Paths.modPost(post), flash: Flash(.success, "mod.post.hidden"))
    }

    /// POST /mod/posts/:postID/restore
    func restore(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let (post, topic, author) = try await findPost(req)
        let reason = Self.reason(req)
        guard post.screening == .hidden || post.screening == .removedByModerator || post.screening == .held, !reason.isEmpty else {
            var page = try await PostActionPage.load(post: post, topic: topic, author: author, on: req.db)
            page.errors.add("restore-reason", "mod.error.reason")
            return page.render(req)
        }
        try await PostModeration(context: req.context(as: me)).restore(post, reason: reason)
        return req.redirect(to: Paths.modPost(post), flash: Flash(.success, "mod.post.restored"))
    }

    /// POST /mod/posts/:postID/remove: for a broken rule; the text stays for moderators.
    func remove(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let (post, topic, author) = try await findPost(req)
        let reason = Self.reason(req)
        guard post.screening != .removedByModerator, !reason.isEmpty else {
            var page = try await PostActionPage.load(post: post, topic: topic, author: author, on: req.db)
            page.errors.add("remove-reason", "mod.error.reason")
            return page.render(req)
        }
        try await PostModeration(context: req.context(as: me)).remove(post, reason: reason)
        return req.redirect(to: Paths.modPost(post), flash: Flash(.success, "mod.post.removed"))
    }

    /// GET /mod/posts/:postID/edit
    func editForm(req: Request) async throws -> Response {
        let (post, _, _) = try await findPost(req)
        return ModeratorEditPage(post: post, body: post.bodyMarkdown, reason: "").render(req)
    }

    /// POST /mod/posts/:postID/edit: a visible "edited by a moderator"; the original is kept.
    func edit(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let (post, topic, _) = try await findPost(req)
        let body = ((try? req.content.get(String.self, at: "body")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = Self.reason(req)
        var errors = FormErrors()
        if body.isEmpty { errors.add("body", "forum.error.body_empty") }
        if body.count > PostForm.bodyLimit { errors.add("body", "forum.error.body_too_long") }
        if reason.isEmpty { errors.add("reason", "mod.error.reason") }
        guard errors.isEmpty else {
            return ModeratorEditPage(post: post, body: body, reason: reason, errors: errors).render(req)
        }
        try await PostModeration(context: req.context(as: me)).edit(post, topic: topic, body: body, reason: reason)
        return req.redirect(to: Paths.modPost(post), flash: Flash(.success, "mod.post.edited"))
    }

    /// POST /mod/posts/:postID/refer: a note under the post with sources from the library.
    func refer(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let (post, topic, author) = try await findPost(req)
        let note = ((try? req.content.get(String.self, at: "note")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let chosen = ((try? req.content.get([UUID].self, at: "source")) ?? [])
        let sources = chosen.isEmpty ? [] : try await Source.query(on: req.db).filter(\.$id ~~ chosen).filter(\.$archived == false).all()
        guard !note.isEmpty, note.count <= 2_000, !sources.isEmpty else {
            var page = try await PostActionPage.load(post: post, topic: topic, author: author, on: req.db)
            if note.isEmpty || note.count > 2_000 { page.errors.add("refer-note", "mod.error.note") }
            if sources.isEmpty { page.errors.add("refer-sources", "mod.error.sources") }
            page.referNote = note
            return page.render(req)
        }
        try await PostModeration(context: req.context(as: me)).refer(post, note: note, sources: sources, locale: author.locale ?? req.locale)
        return req.redirect(to: Paths.modPost(post), flash: Flash(.success, "mod.post.referred"))
    }

    private func findPost(_ req: Request) async throws -> (Post, Topic, Member) {
        guard let id = req.parameters.get("postID", as: Int.self), let post = try await Post.find(id, on: req.db),
            let topic = try await Topic.find(post.topicID, on: req.db), Guardian.canModerateText(in: topic),
            let author = try await Member.find(post.authorID, on: req.db)
        else { throw AppError.notFound }
        return (post, topic, author)
    }

    static func reason(_ req: Request) -> String {
        let reason = ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return reason.count <= 2_000 ? reason : ""
    }

    // MARK: Members

    /// GET /mod/members?q=: find a member by the start of their pseudonym.
    func members(req: Request) async throws -> Response {
        let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        var found: [Member] = []
        if !search.isEmpty {
            let key = Member.key(forPseudonym: search)
            found = try await Member.query(on: req.db).filter(\.$pseudonymKey >= key).filter(\.$pseudonymKey < key + "\u{10FFFF}")
                .sort(\.$pseudonymKey).limit(50).all()
            if found.count == 1, let only = found.first { return req.redirect(to: Paths.modMember(only)) }
        }
        return MemberSearchPage(search: search, found: found).render(req)
    }

    /// GET /mod/members/:memberID
    func member(req: Request) async throws -> Response {
        let member = try await findMember(req)
        var page = try await MemberModerationPage.load(member: member, on: req.db, now: req.connect.clock.now())
        if let rescued = try await FormRescue.take(req) {
            if rescued["_form"] == "act" {
                page.typedReason = rescued["reason"] ?? ""
                page.typedKind = rescued["kind"] ?? ""
                page.typedDays = rescued["days_\(page.typedKind)"] ?? rescued["days"] ?? ""
            } else if rescued["_form"] == "contact" {
                page.typedContactReason = rescued["reason"] ?? ""
            }
        }
        return page.render(req)
    }

    /// POST /mod/members/:memberID/act: message, warn, silence, suspend or lift.
    func act(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let member = try await findMember(req)
        let kind = ModerationAction.Kind(rawValue: (try? req.content.get(String.self, at: "kind")) ?? "")
        // Each action has its own duration menu ("days_silence", "days_suspend").
        let typedDays =
            kind.flatMap { try? req.content.get(String.self, at: "days_\($0.rawValue)") } ?? (try? req.content.get(String.self, at: "days"))
        let days = typedDays.flatMap { Int($0) }
        let reason = Self.reason(req)
        var errors = FormErrors()
        let allowed: [ModerationAction.Kind] = [.message, .warn, .silence, .suspend, .lift]
        if kind == nil || !allowed.contains(kind!) { errors.add("act-kind", "mod.error.kind") }
        if reason.isEmpty { errors.add("act-reason", "mod.error.reason") }
        if let kind, kind == .silence || kind == .suspend, !MemberModeration.durationDays(for: kind).contains(days ?? -1) {
            errors.add("act-days-\(kind.rawValue)", "mod.error.days")
        }
        if member.id == me.id || (member.role != .member && !Guardian.canAdminister(me)) { errors.add("act-kind", "mod.error.not_on_team") }
        guard errors.isEmpty, let kind else {
            var page = try await MemberModerationPage.load(member: member, on: req.db, now: req.connect.clock.now())
            page.errors = errors
            page.typedReason = reason
            // The choices come back as made, so a second click never sends something else.
            page.typedKind = (try? req.content.get(String.self, at: "kind")) ?? ""
            page.typedDays = typedDays ?? ""
            return page.render(req)
        }
        try await MemberModeration(context: req.context(as: me)).act(kind, on: member, reason: reason, days: days)
        return req.redirect(to: Paths.modMember(member), flash: Flash(.success, "mod.member.acted"))
    }

    /// POST /mod/members/:memberID/contact: shows real name and email, and logs the look.
    func contact(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let member = try await findMember(req)
        let reason = Self.reason(req)
        var page = try await MemberModerationPage.load(member: member, on: req.db, now: req.connect.clock.now())
        guard !reason.isEmpty else {
            page.errors.add("contact-reason", "mod.error.reason")
            return page.render(req)
        }
        try await MemberModeration(context: req.context(as: me)).revealContact(of: member, reason: reason)
        page.showContact = true
        return page.render(req)
    }

    /// The member the path names. Details of and actions on team members (moderators, admins,
    /// researchers) are for admins only.
    private func findMember(_ req: Request) async throws -> Member {
        guard let id = req.parameters.get("memberID", as: UUID.self), let member = try await Member.find(id, on: req.db) else {
            throw AppError.notFound
        }
        let viewer = try req.requireMember()
        guard member.role == .member || Guardian.canAdminister(viewer) else { throw AppError.forbidden }
        return member
    }
}
