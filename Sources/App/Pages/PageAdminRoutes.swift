import Fluent
import TextRules
import Vapor

/// Administrators edit the pages (terms, privacy policy, rules, manual, crisis help, home) in
/// both languages at once, in Markdown with a preview, and publish them as a new version.
/// Earlier versions stay readable here.
struct PageAdminRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(RequireRole.admin).grouped("admin", "pages")
        admin.get(use: list)
        admin.get(":slug", use: edit)
        admin.post(":slug", use: publish)
        admin.get(":slug", "versions", ":version", use: version)
    }

    /// GET /admin/pages
    func list(req: Request) async throws -> Response {
        let versions = try await PageVersions.currentVersions(of: PageSlug.allCases, on: req.db)
        return PageListPage(versions: versions).render(req)
    }

    /// GET /admin/pages/:slug: the current texts in the editor, and the earlier versions.
    func edit(req: Request) async throws -> Response {
        let slug = try Self.slug(req)
        var form = PageForm()
        for locale in AppLocale.allCases {
            let current = try await PageVersions.current(slug, locale: locale, on: req.db)
            form.set(locale, title: current?.title ?? "", body: current?.bodyMarkdown ?? "")
        }
        return try await PageEditPage.load(slug: slug, form: form, on: req.db).render(req)
    }

    /// POST /admin/pages/:slug: preview, or publish both languages as the next version.
    func publish(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let slug = try Self.slug(req)
        let form = try req.content.decode(PageForm.self)
        let errors = form.validate()
        guard errors.isEmpty, form.preview == nil else {
            var page = try await PageEditPage.load(slug: slug, form: form, on: req.db)
            page.errors = errors
            if errors.isEmpty {
                let cooker = MarkdownCooker()
                page.previews = Dictionary(uniqueKeysWithValues: AppLocale.allCases.map { ($0, cooker.cook(form.body(for: $0))) })
            }
            return page.render(req)
        }
        let now = req.connect.clock.now()
        let next = (try await PageVersions.currentVersions(of: [slug], on: req.db)[slug] ?? 0) + 1
        let cooker = MarkdownCooker()
        try await req.db.transaction { db in
            for locale in AppLocale.allCases {
                let version = PageVersion()
                version.slug = slug.rawValue
                version.locale = locale
                version.version = next
                version.title = form.title(for: locale)
                version.bodyMarkdown = form.body(for: locale)
                version.bodyHTML = cooker.cook(form.body(for: locale))
                version.createdAt = now
                try await version.create(on: db)
            }
            try await AuditEvent(
                actorID: me.id, action: "page.publish", subjectMemberID: nil, detail: "", createdAt: now,
                target: "page:\(slug.rawValue)", after: "version \(next)"
            ).create(on: db)
        }
        return req.redirect(to: Paths.adminPage(slug), flash: Flash(.success, "admin.pages.published"))
    }

    /// GET /admin/pages/:slug/versions/:version: an earlier version, both languages.
    func version(req: Request) async throws -> Response {
        let slug = try Self.slug(req)
        guard let number = req.parameters.get("version", as: Int.self) else { throw AppError.notFound }
        let versions = try await PageVersion.query(on: req.db).filter(\.$slug == slug.rawValue).filter(\.$version == number).all()
        guard !versions.isEmpty else { throw AppError.notFound }
        return PageVersionPage(slug: slug, versions: versions).render(req)
    }

    static func slug(_ req: Request) throws -> PageSlug {
        guard let slug = PageSlug(rawValue: req.parameters.get("slug") ?? "") else { throw AppError.notFound }
        return slug
    }
}

/// Both languages of a page as typed.
struct PageForm: Content {
    var title_nl: String?
    var body_nl: String?
    var title_en: String?
    var body_en: String?
    var preview: String?

    func title(for locale: AppLocale) -> String {
        ((locale == .nl ? title_nl : title_en) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func body(for locale: AppLocale) -> String {
        PostForm.clean((locale == .nl ? body_nl : body_en) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    mutating func set(_ locale: AppLocale, title: String, body: String) {
        if locale == .nl {
            title_nl = title
            body_nl = body
        } else {
            title_en = title
            body_en = body
        }
    }

    func validate() -> FormErrors {
        var errors = FormErrors()
        for locale in AppLocale.allCases {
            if title(for: locale).isEmpty || title(for: locale).count > 120 { errors.add("title_\(locale.rawValue)", "admin.pages.error.title") }
            if body(for: locale).isEmpty || body(for: locale).count > 100_000 { errors.add("body_\(locale.rawValue)", "admin.pages.error.body") }
        }
        return errors
    }
}
