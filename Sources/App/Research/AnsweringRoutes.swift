import Fluent
import TextRules
import Vapor

/// A member answers the questionnaires they were invited to: a section at a time, resumable,
/// and only their own (another member's invitation id answers 404, as one that does not exist).
struct AnsweringRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("questionnaires", use: list)
        members.get("questionnaires", ":invitationID", use: show)
        members.post("questionnaires", ":invitationID", use: save)
    }

    /// GET /questionnaires
    func list(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let invitations = try await QuestionnaireQueries.invitations(of: member.requireID(), on: req.db)
        var rows = [QuestionnaireListPage.Row]()
        var titles = [String: String]()
        for (invitation, wave) in invitations {
            let key = "\(wave.studyID.uuidString)/\(wave.questionnaireCode)"
            if titles[key] == nil {
                titles[key] = try await QuestionnaireQueries.questionnaire(for: invitation, wave: wave, on: req.db)?.title(req.locale) ?? ""
            }
            rows.append(.init(invitation: invitation, wave: wave, title: titles[key] ?? ""))
        }
        return QuestionnaireListPage(rows: rows).render(req)
    }

    /// GET /questionnaires/:id?section=N: where the member left off, or an earlier section.
    func show(req: Request) async throws -> Response {
        let (invitation, wave, _, definition) = try await load(req)
        let now = req.connect.clock.now()
        let title = definition.title.text(dutch: req.locale == .nl)
        if invitation.completedAt != nil { return AnswerDonePage(state: .finished, title: title).render(req) }
        guard invitation.openedAt != nil, definition.isAnswerable else {
            return AnswerDonePage(state: .notYet, title: title).render(req)
        }
        guard invitation.isOpen(at: now) else { return AnswerDonePage(state: .closed, title: title).render(req) }
        var values = AnswerPage.fields(from: try await QuestionnaireQueries.answers(of: invitation.requireID(), on: req.db), definition)
        var section = min(invitation.nextSection, definition.sections.count - 1)
        if let asked = req.query[Int.self, at: "section"], (1...(section + 1)).contains(asked) { section = asked - 1 }
        // A form sent after the session expired comes back with what was typed.
        if let rescued = try await FormRescue.take(req) {
            values.merge(rescued.filter { $0.key.hasPrefix(FormRescue.keptPrefix) }) { $1 }
            if let typed = rescued["section"].flatMap(Int.init), (1...definition.sections.count).contains(typed) { section = typed - 1 }
        }
        return AnswerPage(invitation: invitation, wave: wave, definition: definition, section: section, values: values).render(req)
    }

    /// POST /questionnaires/:id with `section` (1-based), the section's answers and `go`
    /// (next, or later to stop for now).
    func save(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let (invitation, wave, questionnaire, definition) = try await load(req)
        try await req.rateLimiter.hit(
            "questionnaire:member:\(try member.requireID().uuidString)", req.connect.config.rateLimits.questionnaireSavesPerMember)
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        guard let number = form["section"].flatMap(Int.init), (1...definition.sections.count).contains(number),
            number - 1 <= invitation.nextSection
        else { return req.redirect(to: Paths.questionnaire(id: try invitation.requireID())) }
        let index = number - 1
        let answers = AnswerPage.answers(from: form, section: definition.sections[index])
        let outcome = try await AnswerSection(context: req.context(as: member)).run(
            invitation, questionnaire: questionnaire, definition: definition, section: index, answers: answers)
        let id = try invitation.requireID()
        switch outcome {
        case .closed:
            return req.redirect(to: Paths.questionnaire(id: id))
        case .invalid(let errors):
            // Shown again on the page's own URL's form, with everything typed.
            return AnswerPage(
                invitation: invitation, wave: wave, definition: definition, section: index,
                values: form.filter { $0.key.hasPrefix(FormRescue.keptPrefix) }, errors: errors
            ).render(req)
        case .saved(let next, let safety):
            // A safety answer: the crisis help and the member's own plan come first, now.
            if safety { return req.redirect(to: Paths.support(questionnaire: id)) }
            if next == nil { return req.redirect(to: Paths.questionnaire(id: id)) }
            if form["go"] == "later" {
                return req.redirect(to: Paths.researchQuestionnaires, flash: Flash(.success, "flash.questionnaire_saved"))
            }
            return req.redirect(to: Paths.questionnaire(id: id, section: next!))
        }
    }

    private func load(_ req: Request) async throws -> (ResearchInvitation, StudyWave, Questionnaire, QuestionnaireDefinition) {
        let member = try req.requireMember()
        guard let id = req.parameters.get("invitationID", as: UUID.self),
            let invitation = try await QuestionnaireQueries.invitation(id, of: member.requireID(), on: req.db),
            let wave = try await StudyWave.find(invitation.waveID, on: req.db),
            let questionnaire = try await QuestionnaireQueries.questionnaire(for: invitation, wave: wave, on: req.db)
        else { throw AppError.notFound }
        return (invitation, wave, questionnaire, try questionnaire.definition())
    }
}
