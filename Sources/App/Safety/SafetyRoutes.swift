import Fluent
import SQLKit
import TextRules
import Vapor

/// The author's support page after a crisis hit, and the moderators' alerts.
struct SafetyRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireMember()).get("support", use: support)
        let mod = routes.grouped(RequireRole.moderator).grouped("mod")
        mod.get("alerts", use: alerts)
        mod.post("alerts", ":alertID", "acknowledge", use: acknowledge)
    }

    /// GET /support?topic=&post=: calm words, the crisis help, and (for a held post) when it will be read.
    func support(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        var held = false
        var place = SupportPage.Place.post
        if let topicID = req.query[Int.self, at: "topic"], let number = req.query[Int.self, at: "post"],
            let post = try await Post.query(on: req.db).filter(\.$topicID == topicID).filter(\.$number == number).first(),
            post.authorID == viewer.id
        {
            held = post.screening == .held
            if post.screening == .journal { place = .journal }
        }
        // After a private message: back to the conversation, if the viewer reads it.
        var conversationID: Int? = nil
        if let id = req.query[Int.self, at: "conversation"],
            let (conversation, membership) = try await MessageQueries.conversation(id, viewer: viewer, on: req.db),
            Guardian.canRead(conversation, membership: membership, by: viewer)
        {
            conversationID = id
            place = .message
        }
        // After a questionnaire's safety answer: back to the questionnaire, if it is the viewer's.
        var invitationID: UUID? = nil
        if let id = req.query[UUID.self, at: "questionnaire"],
            try await QuestionnaireQueries.invitation(id, of: viewer.requireID(), on: req.db) != nil
        {
            invitationID = id
            place = .questionnaire
        }
        let help = try await PageVersions.current(.help, locale: req.locale, on: req.db)
        // The member's own plan comes first: their own words are the closest help.
        let plan = try await SafetyPlan.of(try viewer.requireID(), on: req.db).flatMap { $0.isEmpty ? nil : $0 }
        return SupportPage(
            held: held, helpHTML: help?.bodyHTML ?? "", topicID: place == .post || place == .journal ? req.query[Int.self, at: "topic"] : nil,
            plan: plan, place: place, conversationID: conversationID, invitationID: invitationID
        ).render(req)
    }

    /// GET /mod/alerts: open alerts first, then the last 50 acknowledged, with time to acknowledge.
    func alerts(req: Request) async throws -> Response {
        let open = try await AlertRows.load(open: true, on: req.db)
        let done = try await AlertRows.load(open: false, on: req.db)
        let median = try await AlertRows.medianTimeToAcknowledge(on: req.db, now: req.connect.clock.now())
        return AlertsPage(open: open, done: done, median: median).render(req)
    }

    /// POST /mod/alerts/:alertID/acknowledge with what was done.
    func acknowledge(req: Request) async throws -> Response {
        let me = try req.requireMember()
        guard let id = req.parameters.get("alertID", as: UUID.self), let alert = try await Alert.find(id, on: req.db) else {
            throw AppError.notFound
        }
        let note = ModerationActionRoutes.reason(req)
        guard !note.isEmpty else {
            return req.redirect(to: Paths.modAlert(id: id), flash: Flash(.error, "alerts.error.note"))
        }
        let updated = try await AcknowledgeAlert(context: req.context(as: me)).run(alert, note: note)
        return req.redirect(to: "/mod/alerts", flash: Flash(updated ? .success : .info, updated ? "alerts.acknowledged" : "alerts.already"))
    }
}
