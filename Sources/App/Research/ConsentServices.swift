import Fluent
import Foundation

/// A member answers the request for consent: yes (with the letter's version and whether
/// research invitations may come by email) or not now. Recorded with its time, and in the
/// audit log, which cannot be edited.
struct AnswerConsent {
    let context: ServiceContext

    func run(study: Study, answer: ResearchConsent.Answer, emailsAllowed: Bool, letterVersion: Int) async throws {
        let memberID = try context.actor.requireID()
        let studyID = try study.requireID()
        try await context.transaction { ctx in
            let consent = try await ResearchQueries.consent(of: memberID, in: studyID, on: ctx.db) ?? ResearchConsent()
            consent.studyID = studyID
            consent.memberID = memberID
            consent.answer = answer
            consent.letterVersion = letterVersion
            consent.emailsAllowed = answer == .yes && emailsAllowed
            consent.answeredAt = ctx.now
            consent.withdrawnAt = nil
            try await consent.save(on: ctx.db)
            // The waves are dated from this moment, the baseline opening at once.
            if answer == .yes { _ = try await ResearchJob.plan(on: ctx.db, memberID: memberID, limit: 100) }
            try await AuditEvent(
                actorID: memberID, action: "research.consent.\(answer.rawValue)", subjectMemberID: memberID,
                detail: "letter v\(letterVersion)", createdAt: ctx.now, target: "study:\(studyID.uuidString)"
            ).create(on: ctx.db)
        }
    }
}

/// A member stops taking part: no invitations from now on, and left out of every later export.
struct WithdrawConsent {
    let context: ServiceContext

    /// False when there was no consent to withdraw.
    func run(study: Study) async throws -> Bool {
        let memberID = try context.actor.requireID()
        let studyID = try study.requireID()
        guard let consent = try await ResearchQueries.consent(of: memberID, in: studyID, on: context.db), consent.isGiven else { return false }
        try await context.transaction { ctx in
            consent.withdrawnAt = ctx.now
            consent.emailsAllowed = false
            try await consent.save(on: ctx.db)
            try await AuditEvent(
                actorID: memberID, action: "research.consent.withdraw", subjectMemberID: memberID, detail: "",
                createdAt: ctx.now, target: "study:\(studyID.uuidString)"
            ).create(on: ctx.db)
        }
        return true
    }
}

/// A researcher (or admin) sets up a study: its name, the description members read, its dates.
struct SaveStudy {
    let context: ServiceContext

    func run(_ study: Study) async throws {
        let isNew = study.id == nil
        if isNew {
            study.createdBy = context.actor.id
            study.createdAt = context.now
        }
        try await context.transaction { ctx in
            try await study.save(on: ctx.db)
            try await AuditEvent(
                actorID: ctx.actor.id, action: isNew ? "study.create" : "study.update", subjectMemberID: nil, detail: study.name,
                createdAt: ctx.now, target: "study:\(try study.requireID().uuidString)"
            ).create(on: ctx.db)
        }
    }
}

/// A researcher exports a study: the pseudonymised ZIP, and an audit record of who, when, which
/// study and how many rows (written before the file leaves the server).
struct ExportStudy {
    let context: ServiceContext

    func run(_ study: Study) async throws -> (zip: URL, folder: URL, counts: ResearchExport.Counts) {
        let studyID = try study.requireID()
        let files = FileManager.default
        let folder = files.temporaryDirectory.appendingPathComponent("connect-research-\(UUID().uuidString)", isDirectory: true)
        try files.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            let export = ResearchExport(db: context.db, ids: try StudyIDs.load(context.services.config), localizer: context.services.localizer)
            let (zip, counts) = try await export.write(study: study, now: context.now, into: folder)
            try await AuditEvent(
                actorID: context.actor.id, action: "research.export", subjectMemberID: nil,
                detail: "participants \(counts.participants), responses \(counts.responses), weeks \(counts.weeks)", createdAt: context.now,
                target: "study:\(studyID.uuidString)"
            ).create(on: context.db)
            return (zip, folder, counts)
        } catch {
            try? files.removeItem(at: folder)
            throw error
        }
    }
}
