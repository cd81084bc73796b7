import Fluent
import Vapor

/// A moderator's working period. Several moderators may be on shift at once.
final class Shift: Model, @unchecked Sendable {
    static let schema = "shifts"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case morning
        case evening
        case adHoc = "ad_hoc"

        /// Morning before 14:00 local time, evening after; the moderator may choose otherwise.
        static func suggested(at date: Date, timeZone: String) -> Kind {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Europe/Amsterdam")!
            let hour = calendar.component(.hour, from: date)
            return (5..<14).contains(hour) ? .morning : (14..<24).contains(hour) ? .evening : .adHoc
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "moderator_id") var moderatorID: UUID
    @Field(key: "kind") var kind: Kind
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "handover_acknowledged_at") var handoverAcknowledgedAt: Date?
    @OptionalField(key: "ended_at") var endedAt: Date?

    init() {}

    init(moderatorID: UUID, kind: Kind, startedAt: Date) {
        self.moderatorID = moderatorID
        self.kind = kind
        self.startedAt = startedAt
    }
}
