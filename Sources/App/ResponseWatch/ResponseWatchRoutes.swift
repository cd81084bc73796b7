import Vapor

/// The member's side of the safety net: closing the private care note. (The waiting topics
/// show on the moderators' queue and dashboard and on responders' home pages; the choice to
/// be shown them is in the notification settings.)
struct ResponseWatchRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireMember()).post("care-note", "close", use: closeCareNote)
    }

    /// POST /care-note/close: back to the home page, without the note.
    func closeCareNote(req: Request) async throws -> Response {
        try await ResponderCare(context: req.context(as: req.requireMember())).close()
        return req.redirect(to: "/")
    }
}
