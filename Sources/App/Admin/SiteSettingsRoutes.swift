import Vapor

/// Admins set the community's settings (`SiteSettings`).
struct SiteSettingsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(RequireRole.admin).grouped("admin", "settings")
        admin.get(use: show)
        admin.post(use: save)
    }

    /// GET /admin/settings
    func show(req: Request) async throws -> Response {
        SiteSettingsPage(settings: try await SiteSettingsQueries.load(on: req.db)).render(req)
    }

    /// POST /admin/settings: every value is checked; a bad one comes back with the rest as typed.
    func save(req: Request) async throws -> Response {
        let form = try req.content.decode(SiteSettingsForm.self)
        switch try await ChangeSiteSettings(context: req.context(as: req.requireMember())).run(form) {
        case .saved:
            return req.redirect(to: Paths.adminSettings, flash: Flash(.success, "flash.saved"))
        case .unchanged:
            return req.redirect(to: Paths.adminSettings, flash: Flash(.info, "site_settings.unchanged"))
        case .invalid(let errors):
            return SiteSettingsPage(settings: try await SiteSettingsQueries.load(on: req.db), errors: errors, form: form).render(req)
        case .notAllowed:
            throw AppError.forbidden
        }
    }
}
