import Fluent
import Foundation
import SQLKit
import TextRules

/// A researcher (or admin) saves a questionnaire, built in the browser or imported from JSON.
/// The newest version is changed in place while nobody has answered it; once answered it is
/// frozen, and the change becomes the next version.
struct SaveQuestionnaire {
    enum Outcome: Equatable {
        case saved(UUID, version: Int)
        case invalid([QuestionnaireDefinition.Problem])
    }

    let context: ServiceContext

    func run(_ definition: QuestionnaireDefinition, in study: Study, draft: Bool = true) async throws -> Outcome {
        let problems = definition.problems(draft: draft)
        guard problems.isEmpty else { return .invalid(problems) }
        let studyID = try study.requireID()
        return try await context.transaction { ctx in
            let latest = try await QuestionnaireQueries.latest(code: definition.code, in: studyID, on: ctx.db)
            let row: Questionnaire
            if let latest, latest.frozenAt == nil {
                row = latest
            } else {
                row = Questionnaire()
                row.studyID = studyID
                row.code = definition.code
                row.version = (latest?.version ?? 0) + 1
                row.createdBy = ctx.actor.id
                row.createdAt = ctx.now
            }
            row.titleNL = definition.title.nl
            row.titleEN = definition.title.en
            row.definitionJSON = String(decoding: definition.encoded(), as: UTF8.self)
            try await row.save(on: ctx.db)
            try await AuditEvent(
                actorID: ctx.actor.id, action: "questionnaire.save", subjectMemberID: nil,
                detail: "\(definition.code) v\(row.version), \(definition.items.count) items", createdAt: ctx.now,
                target: "study:\(studyID.uuidString)"
            ).create(on: ctx.db)
            return .saved(try row.requireID(), version: row.version)
        }
    }
}

/// A researcher sets a study's schedule: its waves, replacing those not yet used. A wave with
/// invitations keeps its timing (members were told), so only its questionnaire and names change.
struct SaveWaves {
    enum Outcome: Equatable {
        case saved
        case invalid(String)
    }

    let context: ServiceContext

    func run(_ waves: [StudyWave], in study: Study) async throws -> Outcome {
        let studyID = try study.requireID()
        guard !waves.isEmpty, waves.count <= 12, Set(waves.map(\.code)).count == waves.count else { return .invalid("research.error.waves") }
        guard waves.allSatisfy({ $0.timing.isValid && QuestionnaireDefinition.isValidCode($0.code) }) else {
            return .invalid("research.error.wave_timing")
        }
        return try await context.transaction { ctx in
            let existing = try await StudyWave.query(on: ctx.db).filter(\.$studyID == studyID).all()
            let used = Set(try await QuestionnaireQueries.wavesWithInvitations(studyID, on: ctx.db))
            for old in existing where !waves.contains(where: { $0.code == old.code }) {
                if !used.contains(try old.requireID()) { try await old.delete(on: ctx.db) }
            }
            for (position, wave) in waves.enumerated() {
                let row = existing.first { $0.code == wave.code } ?? wave
                let isUsed = row.id.map(used.contains) ?? false
                row.studyID = studyID
                row.position = position
                row.nameNL = wave.nameNL
                row.nameEN = wave.nameEN
                row.questionnaireCode = wave.questionnaireCode
                if !isUsed {
                    row.offsetMonths = wave.offsetMonths
                    row.offsetDays = wave.offsetDays
                    row.windowDays = wave.windowDays
                    row.reminderDays = wave.reminderDays
                }
                try await row.save(on: ctx.db)
            }
            try await AuditEvent(
                actorID: ctx.actor.id, action: "study.schedule", subjectMemberID: nil, detail: waves.map(\.code).joined(separator: ", "),
                createdAt: ctx.now, target: "study:\(studyID.uuidString)"
            ).create(on: ctx.db)
            return .saved
        }
    }
}

/// A member saves one section of a questionnaire they were invited to. Every section is saved
/// as it is sent, so leaving halfway loses nothing; the first answer freezes the questionnaire's
/// version. An answer at a safety item's threshold puts a crisis item in the moderators' queue
/// that names only the member and "a questionnaire answer", never the answer.
struct AnswerSection {
    enum Outcome: Equatable {
        /// The section's answers were kept; `next` is the section to show, nil when finished.
        case saved(next: Int?, safety: Bool)
        /// Nothing kept: the message key per item code.
        case invalid([String: String])
        /// The window closed, or the questionnaire was already finished.
        case closed
    }

    let context: ServiceContext

    func run(
        _ invitation: ResearchInvitation, questionnaire: Questionnaire, definition: QuestionnaireDefinition, section index: Int,
        answers raw: [String: [String]]
    ) async throws -> Outcome {
        guard invitation.memberID == context.actor.id, invitation.isOpen(at: context.now) else { return .closed }
        guard definition.isAnswerable, definition.sections.indices.contains(index) else { return .closed }
        let section = definition.sections[index]
        var values = [String: String]()
        var errors = [String: String]()
        for item in section.items {
            switch item.check(raw[item.code] ?? []) {
            case .empty: break
            case .value(let value): values[item.code] = value
            case .invalid(let key): errors[item.code] = key
            }
        }
        guard errors.isEmpty else { return .invalid(errors) }
        let kept = values
        var safety = section.items.contains { item in values[item.code].map(item.crossesSafetyThreshold) ?? false }
        // Words typed in a free-text item meet the crisis rules as any member text does: the
        // member sees the help, and the moderators learn only that a questionnaire answer asked
        // for it (the words stay with the research data, as for a safety item).
        let words = section.items.filter { $0.kind.isFreeText }.compactMap { values[$0.code] }.joined(separator: "\n")
        if !safety && !words.isEmpty {
            safety = try await SafetyCheck(context: context).evaluate(body: words, privacyConfirmed: true).showsHelp
        }
        let crossed = safety
        let last = index == definition.sections.count - 1
        let invitationID = try invitation.requireID()
        let questionnaireID = try questionnaire.requireID()
        try await context.transaction { ctx in
            let now = ctx.now
            let codes = section.items.map(\.code)
            try await QuestionnaireAnswer.query(on: ctx.db).filter(\.$invitationID == invitationID).filter(\.$itemCode ~~ codes).delete()
            for (code, value) in kept.sorted(by: { $0.key < $1.key }) {
                let answer = QuestionnaireAnswer()
                answer.invitationID = invitationID
                answer.itemCode = code
                answer.value = value
                answer.answeredAt = now
                try await answer.create(on: ctx.db)
            }
            invitation.questionnaireID = questionnaireID
            if invitation.startedAt == nil { invitation.startedAt = now }
            invitation.nextSection = max(invitation.nextSection, index + 1)
            if last || invitation.nextSection >= definition.sections.count { invitation.completedAt = now }
            try await invitation.save(on: ctx.db)
            if questionnaire.frozenAt == nil {
                try await Questionnaire.query(on: ctx.db).filter(\.$id == questionnaireID).filter(\.$frozenAt == nil)
                    .set(\.$frozenAt, to: now).update()
            }
            if crossed { try await Self.askModeratorsToLookIn(on: ctx.db, memberID: invitation.memberID, now: now) }
        }
        return .saved(next: invitation.completedAt == nil ? index + 1 : nil, safety: crossed)
    }

    /// One open item per member is enough: a second safety answer before a moderator looked
    /// adds nothing they need to know.
    static func askModeratorsToLookIn(on db: any Database, memberID: UUID, now: Date) async throws {
        let open = try await ReviewItem.query(on: db).filter(\.$kind == .crisis).filter(\.$memberID == memberID)
            .filter(\.$summary == ReviewItem.questionnaireSummary).filter(\.$resolvedAt == nil).count()
        guard open == 0 else { return }
        try await ReviewItem(kind: .crisis, postID: nil, memberID: memberID, summary: ReviewItem.questionnaireSummary, createdAt: now)
            .create(on: db)
    }
}
