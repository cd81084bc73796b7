import Fluent
import Vapor

/// The research team's start page: aggregate figures only, never names or emails.
struct ResearchRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireRole.researcher).get("research", use: dashboard)
    }

    /// GET /research
    func dashboard(req: Request) async throws -> Response {
        let now = req.connect.clock.now()
        let total = try await Member.query(on: req.db).count()
        let verified = try await Member.query(on: req.db).filter(\.$emailVerifiedAt != nil).count()
        let recent = try await Member.query(on: req.db).filter(\.$createdAt >= now.addingTimeInterval(-30 * 86_400)).count()
        let t = req.pageContext.t
        return req.page(t("research.title")) {
            El("h1") { T(t("research.title")) }
            El("p", ["class": "lead"]) { T(t("research.lead")) }
            El("p") { El("a", ["id": "studies-link", "href": Paths.researchStudies]) { T(t("research.studies_title")) } }
            El("dl", ["class": "summary-list", "id": "research-figures"]) {
                El("dt") { T(t("research.members_total")) }
                El("dd") { T(String(total)) }
                El("dt") { T(t("research.members_verified")) }
                El("dd") { T(String(verified)) }
                El("dt") { T(t("research.members_recent")) }
                El("dd") { T(String(recent)) }
            }
        }
    }
}
