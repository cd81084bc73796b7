import Fluent
import Vapor

/// Consent for research (members) and setting up studies (researchers and admins).
struct ConsentRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("research", "consent", use: consentForm)
        members.post("research", "consent", use: answer)
        members.get("settings", "research", use: settings)
        members.post("settings", "research", "withdraw", use: withdraw)
        let researchers = routes.grouped(RequireRole.researcher)
        researchers.get("research", "studies", use: studies)
        researchers.post("research", "studies", use: createStudy)
    }

    /// GET /research/consent: the running study's letter and the choice.
    func consentForm(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let now = req.connect.clock.now()
        let study = try await ResearchQueries.runningStudy(now: now, on: req.db)
        let letter = try await PageVersions.current(.researchLetter, locale: req.locale, on: req.db)
        let consent = try await study.asyncFlatMap { try await ResearchQueries.consent(of: member.requireID(), in: $0.requireID(), on: req.db) }
        return ConsentPage(study: study, letter: letter, consent: consent).render(req)
    }

    /// POST /research/consent with `answer` (yes or not_now), `emails` and the letter's version.
    func answer(req: Request) async throws -> Response {
        let member = try req.requireMember()
        guard let study = try await ResearchQueries.runningStudy(now: req.connect.clock.now(), on: req.db) else { throw AppError.notFound }
        guard let answer = ResearchConsent.Answer(rawValue: (try? req.content.get(String.self, at: "answer")) ?? "") else {
            throw Abort(.badRequest)
        }
        // The version the member read; the current one when the form names none it could have read.
        let current = try await PageVersions.current(.researchLetter, locale: req.locale, on: req.db)?.version ?? 1
        let read = (try? req.content.get(Int.self, at: "letter_version")).flatMap { (1...current).contains($0) ? $0 : nil } ?? current
        let emails = (try? req.content.get(String.self, at: "emails")) == "on"
        try await AnswerConsent(context: req.context(as: member)).run(study: study, answer: answer, emailsAllowed: emails, letterVersion: read)
        return req.redirect(to: answer == .yes ? Paths.researchSettings : "/", flash: Flash(.success, "flash.research_\(answer.rawValue)"))
    }

    /// GET /settings/research
    func settings(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let study = try await ResearchQueries.runningStudy(now: req.connect.clock.now(), on: req.db)
        let consent = try await study.asyncFlatMap { try await ResearchQueries.consent(of: member.requireID(), in: $0.requireID(), on: req.db) }
        return ResearchSettingsPage(study: study, consent: consent).render(req)
    }

    /// POST /settings/research/withdraw
    func withdraw(req: Request) async throws -> Response {
        let member = try req.requireMember()
        guard let study = try await ResearchQueries.runningStudy(now: req.connect.clock.now(), on: req.db) else { throw AppError.notFound }
        let withdrawn = try await WithdrawConsent(context: req.context(as: member)).run(study: study)
        return req.redirect(
            to: Paths.researchSettings, flash: Flash(withdrawn ? .success : .info, withdrawn ? "flash.research_withdrawn" : "flash.saved"))
    }

    /// GET /research/studies
    func studies(req: Request) async throws -> Response {
        StudiesPage(studies: try await studyRows(req)).render(req)
    }

    /// POST /research/studies
    func createStudy(req: Request) async throws -> Response {
        let researcher = try req.requireMember()
        let form = try req.content.decode(StudyForm.self)
        let (study, errors) = form.validated()
        guard let study else { return StudiesPage(studies: try await studyRows(req), form: form, errors: errors).render(req) }
        try await SaveStudy(context: req.context(as: researcher)).run(study)
        return req.redirect(to: Paths.researchStudies, flash: Flash(.success, "flash.saved"))
    }

    private func studyRows(_ req: Request) async throws -> [(study: Study, given: Int, notNow: Int, withdrawn: Int)] {
        let studies = try await Study.query(on: req.db).sort(\.$startsAt, .descending).limit(20).all()
        let counts = try await ResearchQueries.consentCounts(in: studies.compactMap(\.id), on: req.db)
        return studies.map { study in
            let c = study.id.flatMap { counts[$0] } ?? (0, 0, 0)
            return (study, c.given, c.notNow, c.withdrawn)
        }
    }
}
