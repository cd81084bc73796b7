import Fluent
import Foundation
import TextRules

/// A study the research team runs on the platform: a name, a description for members in both
/// languages, and its dates. The information letter is the `research-letter` page.
final class Study: Model, @unchecked Sendable {
    static let schema = "studies"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "description_nl") var descriptionNL: String
    @Field(key: "description_en") var descriptionEN: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    func description(_ locale: AppLocale) -> String { locale == .nl ? descriptionNL : descriptionEN }
    func isRunning(at now: Date) -> Bool { startsAt <= now && now < endsAt }
    /// The study's last day as people name it: `endsAt` is the midnight after it.
    var lastDay: Date { WaveTiming.adding(months: 0, days: -1, to: endsAt, in: DateFormatting.communityZone) }
}

/// A member's answer to the request for consent in one study.
final class ResearchConsent: Model, @unchecked Sendable {
    static let schema = "research_consents"

    enum Answer: String, Codable, Sendable, CaseIterable {
        case yes
        /// "Not now": never asked again unprompted; the member can still say yes in settings.
        case notNow = "not_now"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "study_id") var studyID: UUID
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "answer") var answer: Answer
    /// The version of the information letter the member read when answering.
    @Field(key: "letter_version") var letterVersion: Int
    /// Research invitations may come by email even when the member's email setting says never.
    @Field(key: "emails_allowed") var emailsAllowed: Bool
    @Field(key: "answered_at") var answeredAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?

    init() {}

    /// Consent that holds now: yes, and not withdrawn.
    var isGiven: Bool { answer == .yes && withdrawnAt == nil }
}
