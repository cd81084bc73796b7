import Fluent
import Vapor

/// Private messages: the member's conversations, a conversation, starting one, replying, and
/// their choices (mute, leave, block, who may write to them, report). Moderators open a
/// reported message with the ten before it, from their queue; nothing else of any conversation.
struct MessageRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("messages", use: list)
        members.get("messages", ":conversationID", use: conversation)
        members.post("messages", ":conversationID", "leave", use: leave)
        members.post("messages", ":conversationID", "mute", use: mute)
        members.get("messages", "report", ":messageID", use: reportForm)
        members.post("messages", "report", ":messageID", use: report)
        members.get("settings", "messages", use: settings)
        members.post("settings", "messages", use: saveSettings)
        members.post("settings", "messages", "block", use: block)
        members.post("settings", "messages", "unblock", use: unblock)
        let writers = members.grouped(RequireWriter())
        writers.get("messages", "new", use: newForm)
        writers.post("messages", "new", use: start)
        writers.post("messages", ":conversationID", use: reply)
        routes.grouped(RequireRole.moderator).get("mod", "messages", "reports", ":itemID", use: modReport)
    }

    // MARK: Reading

    /// GET /messages?q=&after=: unread first, then the latest; `q` searches the member's own.
    func list(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let query = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        let page = try await MessageQueries.conversations(
            of: viewer, after: TopicCursor(token: req.query[String.self, at: "after"]), afterUnread: req.query[String.self, at: "unread"] == "1",
            on: req.db)
        let hits = query.isEmpty ? [] : try await MessageQueries.search(query, viewer: viewer, on: req.db)
        return MessagesPage(rows: page.rows, next: page.next.map { Paths.messages(after: $0, unread: page.nextUnread) }, query: query, hits: hits)
            .render(req)
    }

    /// GET /messages/:conversationID?before=: only for its members (and the team, for one from
    /// the moderators); anyone else gets 404, whatever the id.
    func conversation(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (conversation, membership) = try await readable(req, viewer: viewer)
        var page = try await conversationPage(req, conversation, membership: membership, viewer: viewer)
        if let rescued = try await FormRescue.take(req) { page.form.body = rescued["body"] }
        return page.render(req)
    }

    // MARK: Writing

    /// GET /messages/new?to=
    func newForm(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        var page = NewConversationPage(to: req.query[String.self, at: "to"] ?? "")
        if let rescued = try await FormRescue.take(req) {
            page.to = rescued["to"] ?? page.to
            page.form.body = rescued["body"]
        }
        page.notYet = !(try await mayStart(viewer, now: req.connect.clock.now(), on: req.db))
        return page.render(req)
    }

    /// POST /messages/new: to at most four members, each of whom may be reached.
    func start(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let form = try req.content.decode(PostForm.self)
        let to = ((try? req.content.get(String.self, at: "to")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let firstPostScreened = try await MessageQueries.firstPostScreened(try viewer.requireID(), on: req.db)
        guard Guardian.canStartConversations(viewer, firstPostScreened: firstPostScreened, now: req.connect.clock.now()) else {
            return NewConversationPage(to: to, form: form, notYet: true).render(req)
        }
        var draft = try await MessageAddressing(db: req.db).resolve(to, sender: viewer)
        draft.firstPostScreened = firstPostScreened
        draft.fromModerators = Guardian.canModerate(viewer)
        if draft.errors.isEmpty && !form.wantsPreview {
            try await req.rateLimiter.hit(
                "conversation:member:\(try viewer.requireID().uuidString)", req.connect.config.rateLimits.conversationsPerMember)
        }
        let outcome = try await Publisher(context: req.context(as: viewer)).publish(TextSubmission(form), to: .newConversation(draft))
        return try req.respond(
            to: outcome,
            form: { state in
                NewConversationPage(to: to, form: form, errors: state.errors, preview: state.preview, privacy: state.privacy).render(req)
            },
            published: { text in req.redirect(to: Paths.conversation(id: text.conversationID ?? 0), flash: Flash(.success, "flash.message_sent")) })
    }

    /// POST /messages/:conversationID: a reply, from the conversation's page (its own URL).
    func reply(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (conversation, membership) = try await readable(req, viewer: viewer)
        let form = try req.content.decode(PostForm.self)
        let participants = try await MessageQueries.participants(of: try conversation.requireID(), viewerID: try viewer.requireID(), on: req.db)
        let blocked = MessageQueries.blockedInPair(participants)
        let outcome = try await Publisher(context: req.context(as: viewer))
            .publish(TextSubmission(form), to: .message(conversation, membership, blockedByOther: blocked))
        // The page again (errors, preview, nudge): its data is read before answering.
        let again: ConversationPage? =
            if case .published = outcome { nil } else {
                try await conversationPage(req, conversation, membership: membership, viewer: viewer)
            }
        return try req.respond(
            to: outcome,
            form: { state in
                guard var page = again else { return req.redirect(to: Paths.conversation(conversation)) }
                page.form = form
                page.errors = state.errors
                page.preview = state.preview
                page.privacy = state.privacy
                return page.render(req)
            },
            published: { text in req.redirect(to: Paths.message(id: text.messageID ?? 0, in: try conversation.requireID())) })
    }

    /// POST /messages/:conversationID/leave
    func leave(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (_, membership) = try await readable(req, viewer: viewer)
        guard let membership else { throw AppError.forbidden }
        try await ConversationChoices(context: req.context(as: viewer)).leave(membership)
        return req.redirect(to: Paths.messages, flash: Flash(.info, "flash.conversation_left"))
    }

    /// POST /messages/:conversationID/mute with `muted` on or off.
    func mute(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (conversation, membership) = try await readable(req, viewer: viewer)
        guard let membership else { throw AppError.forbidden }
        let muted = (try? req.content.get(String.self, at: "muted")) == "on"
        try await ConversationChoices(context: req.context(as: viewer)).setMuted(muted, membership)
        return req.redirect(to: Paths.conversation(conversation), flash: Flash(.success, "flash.saved"))
    }

    // MARK: Reports

    /// GET /messages/report/:messageID: a message someone else wrote in the viewer's conversation.
    func reportForm(req: Request) async throws -> Response {
        let (message, row) = try await reportable(req)
        return ReportMessagePage(message: row, conversationID: message.conversationID, form: ReportForm()).render(req)
    }

    /// POST /messages/report/:messageID
    func report(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (message, row) = try await reportable(req)
        let form = try req.content.decode(ReportForm.self)
        let errors = form.validate()
        guard errors.isEmpty, let reason = form.reasonValue else {
            return ReportMessagePage(message: row, conversationID: message.conversationID, form: form, errors: errors).render(req)
        }
        try await req.rateLimiter.hit(
            "message-report:member:\(try viewer.requireID().uuidString)", req.connect.config.rateLimits.messageReportsPerMember)
        let outcome = try await ReportMessage(context: req.context(as: viewer)).run(message, reason: reason, note: form.noteValue)
        return req.redirect(
            to: Paths.conversation(id: message.conversationID),
            flash: Flash(.success, outcome == .received ? "flash.message_report_received" : "flash.report_already"))
    }

    /// GET /mod/messages/reports/:itemID: the reported message and the ten before it; the look is audited.
    func modReport(req: Request) async throws -> Response {
        let moderator = try req.requireMember()
        guard let id = req.parameters.get("itemID", as: UUID.self), let item = try await ReviewItem.find(id, on: req.db),
            let (message, context) = try await ReadReportedMessage(context: req.context(as: moderator)).run(item)
        else { throw AppError.notFound }
        let reports = try await MessageReport.query(on: req.db).filter(\.$reviewItemID == id).all().map { ($0.reason.rawValue, $0.note) }
        return ModMessageReportPage(item: item, reported: message, context: context, reports: reports).render(req)
    }

    // MARK: Settings

    /// GET /settings/messages
    func settings(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        return MessageSettingsPage(policy: viewer.messagePolicy, blocks: try await MessageQueries.blocks(of: viewer.requireID(), on: req.db)).render(
            req)
    }

    /// POST /settings/messages with `policy`.
    func saveSettings(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let policy = MessagePolicy(rawValue: (try? req.content.get(String.self, at: "policy")) ?? "") else { throw Abort(.badRequest) }
        try await SetMessagePolicy(context: req.context(as: viewer)).run(policy)
        return req.redirect(to: Paths.messageSettings, flash: Flash(.success, "flash.saved"))
    }

    /// POST /settings/messages/block with `who` (a pseudonym). The blocked member is not told.
    func block(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let name = ((try? req.content.get(String.self, at: "who")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let other = try await Member.query(on: req.db).filter(\.$pseudonymKey == Member.key(forPseudonym: name)).first()
        guard let other, other.isVerified, !other.isClosed, other.id != viewer.id, !Guardian.isTeam(other) else {
            var errors = FormErrors()
            errors.add("who", "messages.error.block_who")
            return MessageSettingsPage(
                policy: viewer.messagePolicy, blocks: try await MessageQueries.blocks(of: viewer.requireID(), on: req.db), blockName: name,
                errors: errors
            ).render(req)
        }
        try await BlockMember(context: req.context(as: viewer)).block(other)
        return req.redirect(to: Paths.messageSettings, flash: Flash(.success, "flash.member_blocked"))
    }

    /// POST /settings/messages/unblock with `id`.
    func unblock(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        guard let id = (try? req.content.get(String.self, at: "id")).flatMap(UUID.init(uuidString:)) else { throw Abort(.badRequest) }
        try await BlockMember(context: req.context(as: viewer)).unblock(id)
        return req.redirect(to: Paths.messageSettings, flash: Flash(.success, "flash.saved"))
    }

    // MARK: Loading with permission checks

    /// A conversation the viewer reads (Guardian); any other id answers 404.
    private func readable(_ req: Request, viewer: Member) async throws -> (Conversation, ConversationMember?) {
        guard let id = req.parameters.get("conversationID", as: Int.self),
            let (conversation, membership) = try await MessageQueries.conversation(id, viewer: viewer, on: req.db),
            Guardian.canRead(conversation, membership: membership, by: viewer)
        else { throw AppError.notFound }
        return (conversation, membership)
    }

    /// A message someone else wrote, in a conversation the viewer is in.
    private func reportable(_ req: Request) async throws -> (Message, MessageRow) {
        let viewer = try req.requireMember()
        guard let id = req.parameters.get("messageID", as: Int.self), let message = try await Message.find(id, on: req.db),
            let (conversation, membership) = try await MessageQueries.conversation(message.conversationID, viewer: viewer, on: req.db),
            membership?.leftAt == nil, membership != nil, Guardian.canRead(conversation, membership: membership, by: viewer),
            message.authorID != viewer.id,
            let row = try await MessageQueries.reportContext(of: message, count: 0, on: req.db).last
        else { throw AppError.notFound }
        return (message, row)
    }

    /// The page's data: participants and the latest messages (a fixed number of queries); reading
    /// moves the member's read position and settles the conversation's notifications.
    private func conversationPage(_ req: Request, _ conversation: Conversation, membership: ConversationMember?, viewer: Member) async throws
        -> ConversationPage
    {
        let id = try conversation.requireID()
        let before = req.query[Int.self, at: "before"]
        let viewerID = try viewer.requireID()
        let participants = try await MessageQueries.participants(of: id, viewerID: viewerID, on: req.db)
        let messages = try await MessageQueries.messages(in: id, before: before, limit: Message.pageSize + 1, on: req.db)
        let shown = Array(messages.suffix(Message.pageSize))
        if let membership, before == nil, conversation.lastMessageID > membership.lastReadMessageID {
            try await MessageQueries.markRead(id, memberID: viewerID, upTo: conversation.lastMessageID, on: req.db)
            try await MessageQueries.settleNotifications(id, memberID: viewerID, now: req.connect.clock.now(), on: req.db)
            let unread = req.storage[UnreadMessagesKey.self] ?? 0
            req.storage[UnreadMessagesKey.self] = max(0, unread - 1)
            req.forgetCachedSession()
        }
        let blocked = MessageQueries.blockedInPair(participants)
        return ConversationPage(
            conversation: conversation, participants: participants, messages: shown, viewer: viewer, membership: membership,
            olderThan: messages.count > Message.pageSize ? shown.first?.id : nil, latest: before == nil,
            canWrite: Guardian.canWrite(in: conversation, membership: membership, by: viewer, blockedByOther: blocked, now: req.connect.clock.now()))
    }

    private func mayStart(_ viewer: Member, now: Date, on db: any Database) async throws -> Bool {
        Guardian.canStartConversations(viewer, firstPostScreened: try await MessageQueries.firstPostScreened(viewer.requireID(), on: db), now: now)
    }
}

/// Turns the "to" field into members the sender may reach. A name that is unknown and a member
/// who may not be reached get the same answer, so a block or a choice is never revealed.
struct MessageAddressing {
    let db: any Database

    func resolve(_ to: String, sender: Member) async throws -> NewConversationDraft {
        var draft = NewConversationDraft(recipients: [], firstPostScreened: false)
        let names = to.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let keys = Array(Set(names.map(Member.key(forPseudonym:))))
        if keys.isEmpty {
            draft.errors.add("to", "messages.error.to_empty")
            return draft
        }
        if keys.count > Conversation.maxMembers - 1 {
            draft.errors.add("to", "messages.error.to_too_many")
            return draft
        }
        let found = try await Member.query(on: db).filter(\.$pseudonymKey ~~ keys).all()
        let senderID = try sender.requireID()
        let reach = try await MessageQueries.reachability(of: found.compactMap(\.id), from: senderID, on: db)
        let reachable = found.filter {
            Guardian.canReach(
                $0, from: sender, blocked: reach.blockedBy.contains($0.id ?? UUID()), talkedBefore: reach.talkedWith.contains($0.id ?? UUID()))
        }
        if reachable.count != keys.count {
            draft.errors.add("to", "messages.error.to_unreachable")
            return draft
        }
        draft.recipients = reachable
        return draft
    }
}
