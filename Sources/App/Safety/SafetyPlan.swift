import Fluent
import Vapor

/// The personal safety plan: private to the member, shown above the crisis help when their
/// own words point to a crisis.
final class SafetyPlan: Model, @unchecked Sendable {
    static let schema = "safety_plans"
    static let maxLength = 2_000

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "warning_signs") var warningSigns: String
    @Field(key: "what_helps") var whatHelps: String
    @Field(key: "people") var people: String
    @Field(key: "professionals") var professionals: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(memberID: UUID, now: Date) {
        self.memberID = memberID
        warningSigns = ""
        whatHelps = ""
        people = ""
        professionals = ""
        updatedAt = now
    }

    var isEmpty: Bool { [warningSigns, whatHelps, people, professionals].allSatisfy { $0.isEmpty } }

    /// The plan's parts with their label keys, in the order the form and the support page show them.
    var parts: [(key: String, text: String)] {
        [("warning_signs", warningSigns), ("what_helps", whatHelps), ("people", people), ("professionals", professionals)]
    }

    static func of(_ memberID: UUID, on db: any Database) async throws -> SafetyPlan? {
        try await SafetyPlan.query(on: db).filter(\.$memberID == memberID).first()
    }
}
