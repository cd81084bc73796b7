import Fluent
import Vapor

/// A pseudonym someone gave up, kept from others for a while.
final class ReservedPseudonym: Model, @unchecked Sendable {
    static let schema = "reserved_pseudonyms"

    @ID(key: .id) var id: UUID?
    @Field(key: "pseudonym_key") var pseudonymKey: String
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "reserved_until") var reservedUntil: Date

    init() {}

    init(pseudonymKey: String, memberID: UUID, reservedUntil: Date) {
        self.pseudonymKey = pseudonymKey
        self.memberID = memberID
        self.reservedUntil = reservedUntil
    }
}
