import Fluent
import Vapor

/// The moderators' start page. The review queue, shifts and logbook build on it.
struct ModerationRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireRole.moderator).get("mod", use: dashboard)
    }

    /// GET /mod: who joined this week, so moderators can welcome them.
    func dashboard(req: Request) async throws -> Response {
        let since = req.connect.clock.now().addingTimeInterval(-7 * 86_400)
        let newcomers = try await Member.query(on: req.db)
            .filter(\.$createdAt >= since).filter(\.$emailVerifiedAt != nil)
            .sort(\.$createdAt, .descending).limit(100).all()
        let t = req.pageContext.t
        let locale = req.locale
        return req.page(t("mod.title")) {
            El("h1") { T(t("mod.title")) }
            El("p", ["class": "lead"]) { T(t("mod.lead")) }
            El("h2") { T(t("mod.newcomers")) }
            if newcomers.isEmpty {
                El("p", ["class": "muted"]) { T(t("mod.no_newcomers")) }
            } else {
                El("ul", ["id": "newcomers"]) {
                    for member in newcomers {
                        El("li") { T("\(member.pseudonym) · \(DateFormatting.day(member.createdAt, locale: locale))") }
                    }
                }
            }
        }
    }
}
