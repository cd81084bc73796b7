import Fluent
import TextRules
import Vapor

/// A pseudonym someone gave up, kept from others for a while.
final class ReservedPseudonym: Model, @unchecked Sendable {
    static let schema = "reserved_pseudonyms"

    @ID(key: .id) var id: UUID?
    @Field(key: "pseudonym_key") var pseudonymKey: String
    /// What the name looks like: a look-alike of a reserved name is kept back as well.
    @OptionalField(key: "pseudonym_skeleton") var pseudonymSkeleton: String?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "reserved_until") var reservedUntil: Date

    init() {}

    init(pseudonym: String, memberID: UUID, reservedUntil: Date) {
        self.pseudonymKey = Member.key(forPseudonym: pseudonym)
        self.pseudonymSkeleton = PseudonymRules.skeleton(of: pseudonym)
        self.memberID = memberID
        self.reservedUntil = reservedUntil
    }
}
