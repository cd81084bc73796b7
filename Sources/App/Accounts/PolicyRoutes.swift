import Fluent
import Vapor

/// Accepting new versions of the terms, privacy policy and rules.
struct PolicyRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let gate = routes.grouped(RequireMember()).grouped("accept-terms")
        gate.get(use: show)
        gate.post(use: accept)
    }

    /// GET /accept-terms?next=: what changed, with a checkbox for each page.
    func show(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let next = LocalPath.sanitise(req.query[String.self, at: "next"])
        let outdated = try await PolicyGate.outdated(for: member, on: req.db)
        guard !outdated.isEmpty else { return req.redirect(to: next) }
        return PolicyPage(pages: try await pages(outdated, req), next: next).render(req)
    }

    /// POST /accept-terms: records the acceptance of each page's current version.
    func accept(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let next = LocalPath.sanitise(try? req.content.get(String.self, at: "next"))
        let outdated = try await PolicyGate.outdated(for: member, on: req.db)
        var errors = FormErrors()
        for page in outdated where (try? req.content.get(String.self, at: "accept_\(page.slug.rawValue)")) != "on" {
            errors.add("accept_\(page.slug.rawValue)", "terms.error.\(page.slug.rawValue)")
        }
        guard errors.isEmpty else {
            return PolicyPage(pages: try await pages(outdated, req), next: next, errors: errors).render(req)
        }
        let now = req.connect.clock.now()
        let memberID = try member.requireID()
        try await req.db.transaction { db in
            for page in outdated {
                try await PolicyAcceptance(memberID: memberID, pageSlug: page.slug.rawValue, pageVersion: page.version, acceptedAt: now).create(
                    on: db)
            }
        }
        return req.redirect(to: next, flash: Flash(.success, "terms.accepted"))
    }

    private func pages(_ outdated: [(slug: PageSlug, version: Int)], _ req: Request) async throws -> [PolicyPage.Item] {
        var items: [PolicyPage.Item] = []
        for page in outdated {
            let current = try await PageVersions.current(page.slug, locale: req.locale, on: req.db)
            items.append(
                .init(
                    slug: page.slug, version: page.version, title: current?.title ?? page.slug.rawValue,
                    bodyHTML: current?.bodyHTML ?? ""))
        }
        return items
    }
}
