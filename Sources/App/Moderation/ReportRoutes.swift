import Fluent
import Vapor

/// What members do and see of moderation: reporting a post, and their notices (actions on
/// their account or posts, with the reasons, and what became of their reports).
struct ReportRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("p", ":postID", "report", use: reportForm)
        members.post("p", ":postID", "report", use: report)
        members.get("notices", use: notices)
    }

    /// GET /p/:postID/report
    func reportForm(req: Request) async throws -> Response {
        let (post, topic) = try await reportablePost(req)
        return ReportPage(post: post, topic: topic, form: ReportForm()).render(req)
    }

    /// POST /p/:postID/report
    func report(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let (post, topic) = try await reportablePost(req)
        let form = try req.content.decode(ReportForm.self)
        let errors = form.validate()
        guard errors.isEmpty, let reason = form.reasonValue else {
            return ReportPage(post: post, topic: topic, form: form, errors: errors).render(req)
        }
        try await req.rateLimiter.hit("report:member:\(try viewer.requireID().uuidString)", req.connect.config.rateLimits.reportsPerMember)
        let outcome = try await ReportPost(context: req.context(as: viewer)).run(post: post, reason: reason, note: form.noteValue)
        return req.redirect(
            to: Paths.post(post, in: topic),
            flash: Flash(.success, outcome == .received ? "flash.report_received" : "flash.report_already"))
    }

    /// GET /notices
    func notices(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        let viewerID = try viewer.requireID()
        let actions = try await ModerationAction.query(on: req.db).filter(\.$memberID == viewerID)
            .filter(\.$kind ~~ ModerationAction.Kind.allCases)
            .sort(\.$createdAt, .descending).limit(50).all()
        let reports = try await NoticesPage.loadReports(of: viewerID, on: req.db)
        return NoticesPage(actions: actions, reports: reports).render(req)
    }

    /// A post the viewer may report: visible, in a visible topic, and not their own.
    private func reportablePost(_ req: Request) async throws -> (Post, Topic) {
        let viewer = try req.requireMember()
        guard let id = req.parameters.get("postID", as: Int.self), let post = try await Post.find(id, on: req.db),
            let topic = try await Topic.find(post.topicID, on: req.db), Guardian.canSee(topic, by: viewer),
            Guardian.isPublic(post)
        else { throw AppError.notFound }
        guard post.authorID != viewer.id else { throw AppError.forbidden }
        return (post, topic)
    }
}

/// A report: a reason and, for "other", a few words.
struct ReportForm: Content {
    var reason: String?
    var note: String?

    var reasonValue: Flag.Reason? { Flag.Reason(rawValue: reason ?? "") }
    var noteValue: String { (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    func validate() -> FormErrors {
        var errors = FormErrors()
        if reasonValue == nil { errors.add("reason-disrespectful", "report.error.reason") }
        if reasonValue == .other && noteValue.isEmpty { errors.add("note", "report.error.note") }
        if noteValue.count > 2_000 { errors.add("note", "report.error.too_long") }
        return errors
    }
}
