import Fluent
import Vapor

/// Administrators keep the library of reliable sources that moderators refer to.
struct SourceAdminRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(RequireRole.admin).grouped("admin", "sources")
        admin.get(use: list)
        admin.post(use: create)
        admin.post(":sourceID", "archive", use: archive)
    }

    /// GET /admin/sources
    func list(req: Request) async throws -> Response {
        SourceAdminPage(sources: try await all(req), form: SourceForm()).render(req)
    }

    /// POST /admin/sources
    func create(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let form = try req.content.decode(SourceForm.self)
        let errors = form.validate()
        guard errors.isEmpty else {
            return SourceAdminPage(sources: try await all(req), form: form, errors: errors).render(req)
        }
        let now = req.connect.clock.now()
        let source = form.source(now: now)
        try await req.db.transaction { db in
            try await source.create(on: db)
            try await AuditEvent(
                actorID: me.id, action: "source.create", subjectMemberID: nil, detail: "", createdAt: now,
                target: "source:\(try source.requireID().uuidString)", after: "\(source.title) <\(source.url)>"
            ).create(on: db)
        }
        return req.redirect(to: "/admin/sources", flash: Flash(.success, "flash.saved"))
    }

    /// POST /admin/sources/:sourceID/archive: no longer offered; notes that cite it keep their link.
    func archive(req: Request) async throws -> Response {
        let me = try req.requireMember()
        guard let id = req.parameters.get("sourceID", as: UUID.self), let source = try await Source.find(id, on: req.db) else {
            throw AppError.notFound
        }
        let now = req.connect.clock.now()
        try await req.db.transaction { db in
            source.archived = true
            try await source.save(on: db)
            try await AuditEvent(
                actorID: me.id, action: "source.archive", subjectMemberID: nil, detail: "", createdAt: now,
                target: "source:\(id.uuidString)"
            ).create(on: db)
        }
        return req.redirect(to: "/admin/sources", flash: Flash(.success, "flash.saved"))
    }

    private func all(_ req: Request) async throws -> [Source] {
        try await Source.query(on: req.db).sort(\.$archived).sort(\.$title).all()
    }
}

/// A new source: title, address (http or https), language and a short description.
struct SourceForm: Content {
    var title: String?
    var url: String?
    var language: String?
    var description: String?

    static let languages = ["nl", "en", "any"]

    func validate() -> FormErrors {
        var errors = FormErrors()
        let title = (self.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 200 { errors.add("title", "admin.source.error.title") }
        let url = (self.url ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil, url.count <= 500 {
        } else {
            errors.add("url", "admin.source.error.url")
        }
        if !Self.languages.contains(language ?? "") { errors.add("language", "admin.source.error.language") }
        if (description ?? "").count > 1_000 { errors.add("description", "admin.source.error.description") }
        return errors
    }

    func source(now: Date) -> Source {
        let source = Source()
        source.title = (title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        source.url = (url ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        source.language = language ?? "any"
        source.description = (description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        source.archived = false
        source.createdAt = now
        return source
    }
}
