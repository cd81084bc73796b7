import Fluent
import Vapor

/// The member's own safety plan: nobody else can read it, not even moderators.
struct SafetyPlanRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let plan = routes.grouped(RequireMember()).grouped("settings", "safety-plan")
        plan.get(use: show)
        plan.post(use: save)
    }

    /// GET /settings/safety-plan
    func show(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let plan = try await SafetyPlan.of(try member.requireID(), on: req.db)
        var typed = [String: String]()
        if let plan { for part in plan.parts { typed[part.key] = part.text } }
        if let rescued = try await FormRescue.take(req) { typed.merge(rescued) { $1 } }
        return SafetyPlanPage(typed: typed, updatedAt: plan?.updatedAt).render(req)
    }

    /// POST /settings/safety-plan: every part is optional; each at most 2,000 characters.
    func save(req: Request) async throws -> Response {
        let member = try req.requireMember()
        var typed = [String: String]()
        var errors = FormErrors()
        for key in SafetyPlanPage.keys {
            let text = ((try? req.content.get(String.self, at: key)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            typed[key] = text
            if text.count > SafetyPlan.maxLength { errors.add(key, "safety_plan.error.too_long") }
        }
        guard errors.isEmpty else { return SafetyPlanPage(typed: typed, updatedAt: nil, errors: errors).render(req) }
        let memberID = try member.requireID()
        let now = req.connect.clock.now()
        let plan = try await SafetyPlan.of(memberID, on: req.db) ?? SafetyPlan(memberID: memberID, now: now)
        plan.warningSigns = typed["warning_signs"] ?? ""
        plan.whatHelps = typed["what_helps"] ?? ""
        plan.people = typed["people"] ?? ""
        plan.professionals = typed["professionals"] ?? ""
        plan.updatedAt = now
        try await plan.save(on: req.db)
        return req.redirect(to: "/settings/safety-plan", flash: Flash(.success, "safety_plan.saved"))
    }
}
