import Fluent
import Vapor

/// A single-use code that signs in without the authenticator app (a lost phone). Stored hashed.
final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"
    static let count = 10

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "code_hash") var codeHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(memberID: UUID, code: String, createdAt: Date) {
        self.memberID = memberID
        self.codeHash = SecureToken.hash(Self.normalise(code))
        self.createdAt = createdAt
    }

    /// Ten characters from an alphabet without look-alikes, shown as two groups of five.
    static func generate() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<10).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(chars[0..<5]) + "-" + String(chars[5..<10])
    }

    static func normalise(_ typed: String) -> String {
        typed.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
