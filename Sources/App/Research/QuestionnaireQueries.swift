import Fluent
import Foundation
import SQLKit
import TextRules

/// The SQL of questionnaires, waves and invitations.
enum QuestionnaireQueries {
    static func latest(code: String, in studyID: UUID, on db: any Database) async throws -> Questionnaire? {
        try await Questionnaire.query(on: db).filter(\.$studyID == studyID).filter(\.$code == code).sort(\.$version, .descending).first()
    }

    /// The newest version of each of a study's questionnaires, by code.
    static func latestVersions(in studyID: UUID, on db: any Database) async throws -> [Questionnaire] {
        let all = try await Questionnaire.query(on: db).filter(\.$studyID == studyID).sort(\.$code).sort(\.$version, .descending).all()
        var seen = Set<String>()
        return all.filter { seen.insert($0.code).inserted }
    }

    static func waves(of studyID: UUID, on db: any Database) async throws -> [StudyWave] {
        try await StudyWave.query(on: db).filter(\.$studyID == studyID).sort(\.$position).all()
    }

    static func wavesWithInvitations(_ studyID: UUID, on db: any Database) async throws -> [UUID] {
        try await (db as! any SQLDatabase).raw(
            "SELECT DISTINCT wave_id FROM research_invitations WHERE study_id = \(bind: studyID)"
        ).all().map { try $0.decode(column: "wave_id", as: UUID.self) }
    }

    /// A member's invitation, or nil when it is not theirs (an id guessed into another's answers
    /// finds nothing, exactly as an id that does not exist).
    static func invitation(_ id: UUID, of memberID: UUID, on db: any Database) async throws -> ResearchInvitation? {
        try await ResearchInvitation.query(on: db).filter(\.$id == id).filter(\.$memberID == memberID).first()
    }

    /// A member's invitations that went out, newest first, with their wave.
    static func invitations(of memberID: UUID, on db: any Database) async throws -> [(ResearchInvitation, StudyWave)] {
        let invitations = try await ResearchInvitation.query(on: db).filter(\.$memberID == memberID).filter(\.$openedAt != nil)
            .sort(\.$dueAt, .descending).limit(50).all()
        let waves = try await StudyWave.query(on: db).filter(\.$id ~~ Set(invitations.map(\.waveID))).all()
        let byID = Dictionary(uniqueKeysWithValues: waves.compactMap { w in w.id.map { ($0, w) } })
        return invitations.compactMap { i in byID[i.waveID].map { (i, $0) } }
    }

    /// The questionnaire a member answers in this invitation: the version they started, else
    /// the newest version of the wave's questionnaire.
    static func questionnaire(for invitation: ResearchInvitation, wave: StudyWave, on db: any Database) async throws -> Questionnaire? {
        if let id = invitation.questionnaireID, let started = try await Questionnaire.find(id, on: db) { return started }
        return try await latest(code: wave.questionnaireCode, in: wave.studyID, on: db)
    }

    static func answers(of invitationID: UUID, on db: any Database) async throws -> [String: String] {
        var values = [String: String]()
        for answer in try await QuestionnaireAnswer.query(on: db).filter(\.$invitationID == invitationID).all() {
            values[answer.itemCode] = answer.value
        }
        return values
    }

    /// Per wave: invitations sent, started and finished, among members whose consent holds.
    struct WaveFigures: Sendable {
        let waveID: UUID
        let invited: Int
        let started: Int
        let completed: Int
        var rate: Double { invited == 0 ? 0 : Double(completed) / Double(invited) }
    }

    static func responseFigures(of studyID: UUID, on db: any Database) async throws -> [UUID: WaveFigures] {
        var figures = [UUID: WaveFigures]()
        for row in try await (db as! any SQLDatabase).raw(
            """
            SELECT i.wave_id,
                   COUNT(*) AS invited,
                   SUM(CASE WHEN i.started_at IS NOT NULL THEN 1 ELSE 0 END) AS started,
                   SUM(CASE WHEN i.completed_at IS NOT NULL THEN 1 ELSE 0 END) AS completed
            FROM research_invitations i
            JOIN research_consents c ON c.study_id = i.study_id AND c.member_id = i.member_id
            WHERE i.study_id = \(bind: studyID) AND i.opened_at IS NOT NULL AND c.answer = 'yes' AND c.withdrawn_at IS NULL
            GROUP BY i.wave_id
            """
        ).all() {
            let id = try row.decode(column: "wave_id", as: UUID.self)
            figures[id] = WaveFigures(
                waveID: id, invited: try row.decode(column: "invited", as: Int.self), started: try row.decode(column: "started", as: Int?.self) ?? 0,
                completed: try row.decode(column: "completed", as: Int?.self) ?? 0)
        }
        return figures
    }
}
