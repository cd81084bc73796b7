import Fluent
import Foundation
import TextRules

/// One version of a questionnaire: its definition as JSON (`QuestionnaireDefinition`), frozen
/// once the first answer exists.
final class Questionnaire: Model, @unchecked Sendable {
    static let schema = "questionnaires"

    @ID(key: .id) var id: UUID?
    @Field(key: "study_id") var studyID: UUID
    @Field(key: "code") var code: String
    @Field(key: "version") var version: Int
    @Field(key: "title_nl") var titleNL: String
    @Field(key: "title_en") var titleEN: String
    @Field(key: "definition") var definitionJSON: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "frozen_at") var frozenAt: Date?

    init() {}

    /// The definition; a stored one was checked before saving, so failing here is a bug.
    func definition() throws -> QuestionnaireDefinition {
        try QuestionnaireDefinition.decode(Data(definitionJSON.utf8))
    }

    func title(_ locale: AppLocale) -> String { locale == .nl ? titleNL : titleEN }
}

/// A wave of the study's schedule: which questionnaire, when it opens after the member's
/// consent, how long it stays open and when the one reminder goes.
final class StudyWave: Model, @unchecked Sendable {
    static let schema = "study_waves"

    @ID(key: .id) var id: UUID?
    @Field(key: "study_id") var studyID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "code") var code: String
    @Field(key: "name_nl") var nameNL: String
    @Field(key: "name_en") var nameEN: String
    @Field(key: "questionnaire_code") var questionnaireCode: String
    @Field(key: "offset_months") var offsetMonths: Int
    @Field(key: "offset_days") var offsetDays: Int
    @Field(key: "window_days") var windowDays: Int
    @OptionalField(key: "reminder_days") var reminderDays: Int?

    init() {}

    init(
        studyID: UUID, position: Int, code: String, nl: String, en: String, questionnaire: String, months: Int, days: Int, window: Int, reminder: Int?
    ) {
        self.studyID = studyID
        self.position = position
        self.code = code
        self.nameNL = nl
        self.nameEN = en
        self.questionnaireCode = questionnaire
        self.offsetMonths = months
        self.offsetDays = days
        self.windowDays = window
        self.reminderDays = reminder
    }

    func name(_ locale: AppLocale) -> String { locale == .nl ? nameNL : nameEN }

    var timing: WaveTiming { WaveTiming(months: offsetMonths, days: offsetDays, windowDays: windowDays, reminderDays: reminderDays) }

    /// The schedule of the study that was run on the real platform: at consent, then 3 days,
    /// 3 months and 6 months later; two weeks to answer, a reminder after one.
    static func standard(studyID: UUID, questionnaire: String) -> [StudyWave] {
        [
            StudyWave(
                studyID: studyID, position: 0, code: "baseline", nl: "Bij de start", en: "At the start", questionnaire: questionnaire, months: 0,
                days: 0, window: 14, reminder: 7),
            StudyWave(
                studyID: studyID, position: 1, code: "day3", nl: "Na 3 dagen", en: "After 3 days", questionnaire: questionnaire, months: 0, days: 3,
                window: 14, reminder: 7),
            StudyWave(
                studyID: studyID, position: 2, code: "month3", nl: "Na 3 maanden", en: "After 3 months", questionnaire: questionnaire, months: 3,
                days: 0, window: 14, reminder: 7),
            StudyWave(
                studyID: studyID, position: 3, code: "month6", nl: "Na 6 maanden", en: "After 6 months", questionnaire: questionnaire, months: 6,
                days: 0, window: 14, reminder: 7),
        ]
    }
}

/// One member's place in one wave, and how far their answering got.
final class ResearchInvitation: Model, @unchecked Sendable {
    static let schema = "research_invitations"

    @ID(key: .id) var id: UUID?
    @Field(key: "study_id") var studyID: UUID
    @Field(key: "wave_id") var waveID: UUID
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "due_at") var dueAt: Date
    @Field(key: "closes_at") var closesAt: Date
    @OptionalField(key: "opened_at") var openedAt: Date?
    @OptionalField(key: "remind_at") var remindAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @Field(key: "emailed") var emailed: Bool
    @OptionalField(key: "questionnaire_id") var questionnaireID: UUID?
    /// The first section not yet saved: where answering resumes.
    @Field(key: "next_section") var nextSection: Int
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "completed_at") var completedAt: Date?

    init() {}

    /// Open for answering: invited, not finished, and the window has not closed.
    /// (Once the invitation went out it can be answered: the job opens a wave only when due.)
    func isOpen(at now: Date) -> Bool { openedAt != nil && completedAt == nil && now < closesAt }
}

/// One stored answer, as text (see `QuestionnaireDefinition.Item.check`).
final class QuestionnaireAnswer: Model, @unchecked Sendable {
    static let schema = "questionnaire_answers"

    @ID(key: .id) var id: UUID?
    @Field(key: "invitation_id") var invitationID: UUID
    @Field(key: "item_code") var itemCode: String
    @Field(key: "value") var value: String
    @Field(key: "answered_at") var answeredAt: Date

    init() {}
}
