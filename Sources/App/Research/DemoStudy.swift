import Fluent
import Foundation
import TextRules

/// The demo data's study: running from yesterday for a year, with the demo questionnaire
/// (`Resources/Research/mood-check.json`, written for this project, not a licensed instrument)
/// and the standard schedule. Added once; a database with a study already is left alone.
enum DemoStudy {
    @discardableResult
    static func ensure(resourcesDirectory: String, now: Date, on db: any Database) async throws -> Bool {
        guard try await Study.query(on: db).count() == 0 else { return false }
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(resourcesDirectory)/Research/mood-check.json"))
        let definition = try QuestionnaireDefinition.decode(data)
        precondition(definition.problems().isEmpty, "the demo questionnaire must be valid")
        try await db.transaction { db in
            let study = Study()
            study.name = "Peer support and empowerment (demo)"
            study.descriptionNL =
                "Hoe helpt lotgenotencontact bij depressie? We vragen deelnemers drie keer om een korte vragenlijst en kijken naar hoe leden deelnemen (lezen, plaatsen, reageren), zonder namen."
            study.descriptionEN =
                "How does peer support help with depression? We ask participants three times for a short questionnaire and look at how members take part (reading, posting, responding), without names."
            study.startsAt = WaveTiming.adding(months: 0, days: -1, to: now, in: DateFormatting.communityZone)
            study.endsAt = WaveTiming.adding(months: 12, days: 0, to: now, in: DateFormatting.communityZone)
            study.createdAt = now
            try await study.create(on: db)
            let questionnaire = Questionnaire()
            questionnaire.studyID = try study.requireID()
            questionnaire.code = definition.code
            questionnaire.version = 1
            questionnaire.titleNL = definition.title.nl
            questionnaire.titleEN = definition.title.en
            questionnaire.definitionJSON = String(decoding: definition.encoded(), as: UTF8.self)
            questionnaire.createdAt = now
            try await questionnaire.create(on: db)
            for wave in StudyWave.standard(studyID: try study.requireID(), questionnaire: definition.code) { try await wave.create(on: db) }
        }
        return true
    }
}
