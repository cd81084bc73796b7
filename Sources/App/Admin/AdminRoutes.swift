import Fluent
import Vapor

/// The administrators' pages: members and their roles.
struct AdminRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(RequireRole.admin).grouped("admin")
        admin.get(use: members)
        admin.post("members", ":memberID", "role", use: changeRole)
    }

    /// GET /admin?q=: members, newest first, optionally filtered by the start of the pseudonym.
    func members(req: Request) async throws -> Response {
        let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let query = Member.query(on: req.db).sort(\.$createdAt, .descending).limit(AdminMembersPage.pageSize)
        if !search.isEmpty {
            let key = Member.key(forPseudonym: search)
            query.filter(\.$pseudonymKey >= key).filter(\.$pseudonymKey < key + "\u{10FFFF}")
        }
        let rows = try await query.all()
        return AdminMembersPage(members: rows, search: search, me: try req.requireMember()).render(req)
    }

    /// POST /admin/members/:memberID/role: audited; an admin cannot demote themself.
    func changeRole(req: Request) async throws -> Response {
        let actor = try req.requireMember()
        guard let id = req.parameters.get("memberID", as: UUID.self),
            let target = try await Member.find(id, on: req.db)
        else { throw AppError.notFound }
        guard let role = Role(rawValue: (try? req.content.get(String.self, at: "role")) ?? "") else {
            return req.redirect(to: "/admin", flash: Flash(.error, "admin.error.role"))
        }
        guard Guardian.canChangeRole(of: target, by: actor, to: role) else {
            return req.redirect(to: "/admin", flash: Flash(.error, "admin.error.self_demote"))
        }
        let previous = target.role
        guard previous != role else { return req.redirect(to: "/admin") }
        let now = req.connect.clock.now()
        try await req.db.transaction { db in
            target.role = role
            try await target.save(on: db)
            try await AuditEvent(
                actorID: actor.id, action: "role.change", subjectMemberID: target.id,
                detail: "\(previous.rawValue) -> \(role.rawValue)", createdAt: now
            ).create(on: db)
        }
        return req.redirect(to: "/admin", flash: Flash(.success, "admin.role_changed"))
    }
}
