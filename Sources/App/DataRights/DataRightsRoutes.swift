import Fluent
import Vapor

/// A member's data rights: a copy of everything (export) and leaving (closing the account).
struct DataRightsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.grouped(RequireMember()).grouped("settings")
        settings.get("export", use: exports)
        settings.post("export", use: requestExport)
        settings.get("export", ":exportID", "download", use: download)
        settings.get("leave", use: leaveForm)
        settings.post("leave", use: leave)
    }

    /// GET /settings/export: the member's recent exports, with progress while one is built.
    func exports(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let list = try await DataExport.query(on: req.db).filter(\.$memberID == member.requireID())
            .field(\.$id).field(\.$memberID).field(\.$status).field(\.$progress).field(\.$createdAt).field(\.$finishedAt).field(\.$expiresAt)
            .sort(\.$createdAt, .descending).limit(5).all()
        return ExportPage(exports: list, now: req.connect.clock.now()).render(req)
    }

    /// POST /settings/export: queues an export unless one is already on its way.
    func requestExport(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let memberID = try member.requireID()
        let waiting = try await DataExport.query(on: req.db).filter(\.$memberID == memberID)
            .filter(\.$status ~~ [.queued, .building]).count()
        if waiting == 0 {
            try await req.rateLimiter.hit("export:\(memberID)", req.connect.config.rateLimits.exportsPerMember)
            try await DataExport(memberID: memberID, now: req.connect.clock.now()).create(on: req.db)
        }
        return req.redirect(to: "/settings/export", flash: Flash(.success, "export.requested"))
    }

    /// GET /settings/export/:exportID/download: only the owner, only until it expires.
    func download(req: Request) async throws -> Response {
        let member = try req.requireMember()
        guard let id = req.parameters.get("exportID", as: UUID.self),
            let export = try await DataExport.query(on: req.db).filter(\.$id == id)
                .filter(\.$memberID == member.requireID()).first()
        else { throw AppError.notFound }
        guard export.isDownloadable(at: req.connect.clock.now()), let content = export.content else {
            return req.redirect(to: "/settings/export", flash: Flash(.info, "export.expired"))
        }
        let response = Response(status: .ok, body: .init(data: content))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        let day = DateFormatting.iso(export.createdAt).prefix(10)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"depression-connect-\(day).zip\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// GET /settings/leave
    func leaveForm(req: Request) async throws -> Response {
        LeavePage().render(req)
    }

    /// POST /settings/leave: the password confirms it; the choice decides what happens to the posts.
    func leave(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let choiceRaw = (try? req.content.get(String.self, at: "choice")) ?? ""
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        var errors = FormErrors()
        let choice = LeaveChoice(rawValue: choiceRaw)
        if choice == nil { errors.add("choice-keep_posts", "leave.error.choice") }
        if !(try await CurrentPassword.matches(password, for: member, on: req)) {
            errors.add("password", "settings.error.current_password")
        }
        guard errors.isEmpty, let choice else { return LeavePage(choice: choiceRaw, errors: errors).render(req) }
        let now = req.connect.clock.now()
        try await LeaveAccount.close(member, choice: choice, on: req.db, now: now)
        let until = now.addingTimeInterval(LeaveAccount.gracePeriod)
        req.storage[CurrentMemberKey.self] = nil
        let response = LeftPage(until: until).render(req)
        response.cookies[SessionAuthenticator.cookieName] = .removal
        return response
    }
}
