import Fluent
import Vapor

/// Administrators add, rename, describe, reorder and archive the forum's themes.
struct CategoryAdminRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped(RequireRole.admin).grouped("admin", "categories")
        admin.get(use: list)
        admin.post(use: create)
        admin.post(":categoryID", use: update)
    }

    /// GET /admin/categories
    func list(req: Request) async throws -> Response {
        CategoryAdminPage(categories: try await all(req)).render(req)
    }

    /// POST /admin/categories: a new theme at the end.
    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(CategoryForm.self)
        var errors = form.validate()
        let slug = CategoryForm.slug(from: form.name_en ?? "")
        if errors.isEmpty, try await Category.query(on: req.db).filter(\.$slug == slug).first() != nil {
            errors.add("name_en", "admin.category.error.taken")
        }
        guard errors.isEmpty else {
            return CategoryAdminPage(categories: try await all(req), newForm: form, errors: errors).render(req)
        }
        let category = Category()
        category.slug = slug
        category.position = (try await Category.query(on: req.db).filter(\.$isInternal == false).max(\.$position) ?? 0) + 1
        form.apply(to: category)
        category.archived = false
        category.isInternal = false
        category.createdAt = req.connect.clock.now()
        try await save(category, action: "category.create", req: req)
        return req.redirect(to: "/admin/categories", flash: Flash(.success, "flash.saved"))
    }

    /// POST /admin/categories/:categoryID: names, descriptions, position and archiving.
    func update(req: Request) async throws -> Response {
        guard let id = req.parameters.get("categoryID", as: Int.self), let category = try await Category.find(id, on: req.db),
            !category.isInternal
        else {
            throw AppError.notFound
        }
        let form = try req.content.decode(CategoryForm.self)
        let errors = form.validate()
        guard errors.isEmpty else {
            return req.redirect(to: "/admin/categories", flash: Flash(.error, "admin.category.error.invalid"))
        }
        form.apply(to: category)
        if let position = form.position.flatMap(Int.init), (1...999).contains(position) { category.position = position }
        category.archived = form.archived == "on"
        try await save(category, action: "category.update", req: req)
        return req.redirect(to: "/admin/categories", flash: Flash(.success, "flash.saved"))
    }

    private func save(_ category: Category, action: String, req: Request) async throws {
        let actor = try req.requireMember()
        let now = req.connect.clock.now()
        try await req.db.transaction { db in
            try await category.save(on: db)
            try await AuditEvent(actorID: actor.id, action: action, subjectMemberID: nil, detail: category.slug, createdAt: now).create(on: db)
        }
    }

    private func all(_ req: Request) async throws -> [Category] {
        try await Category.query(on: req.db).filter(\.$isInternal == false).sort(\.$position).all()
    }
}

/// A theme's names and descriptions in both languages.
struct CategoryForm: Content {
    var name_nl: String?
    var name_en: String?
    var description_nl: String?
    var description_en: String?
    var position: String?
    var archived: String?

    func validate() -> FormErrors {
        var errors = FormErrors()
        for field in ["name_nl", "name_en"] {
            let value = (field == "name_nl" ? name_nl : name_en)?.trimmingCharacters(in: .whitespaces) ?? ""
            if !(2...60).contains(value.count) { errors.add(field, "admin.category.error.name") }
        }
        for field in ["description_nl", "description_en"] {
            let value = (field == "description_nl" ? description_nl : description_en) ?? ""
            if value.count > 300 { errors.add(field, "admin.category.error.description") }
        }
        if CategoryForm.slug(from: name_en ?? "").isEmpty { errors.add("name_en", "admin.category.error.name") }
        return errors
    }

    func apply(to category: Category) {
        category.nameNL = (name_nl ?? "").trimmingCharacters(in: .whitespaces)
        category.nameEN = (name_en ?? "").trimmingCharacters(in: .whitespaces)
        category.descriptionNL = (description_nl ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        category.descriptionEN = (description_en ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// "Sleep & rest" → "sleep-rest".
    static func slug(from name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var slug = ""
        for ch in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) && ch.isASCII {
                slug.unicodeScalars.append(ch)
            } else if !slug.hasSuffix("-") && !slug.isEmpty {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(60))
    }
}
