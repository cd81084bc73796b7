import Fluent
import Vapor

/// A single-use, expiring token sent by email (verify, reset) or printed on the console (setup).
public final class AccountToken: Model, @unchecked Sendable {
    public static let schema = "account_tokens"

    public enum Purpose: String, Codable, Sendable {
        case verifyEmail = "verify_email"
        case resetPassword = "reset_password"
        /// Creates the first administrator; has no member.
        case adminSetup = "admin_setup"
        /// Between a correct password and a correct second factor: ten minutes to type a code.
        case secondFactor = "second_factor"
        /// Confirms a new email address, sent to that address.
        case changeEmail = "change_email"
    }

    @ID(key: .id) public var id: UUID?
    @OptionalParent(key: "member_id") public var member: Member?
    @Field(key: "purpose") public var purpose: Purpose
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}

    public init(memberID: UUID?, purpose: Purpose, tokenHash: String, createdAt: Date, expiresAt: Date) {
        self.$member.id = memberID
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// How long each kind of link stays valid.
    public static func lifetime(of purpose: Purpose) -> TimeInterval {
        switch purpose {
        case .verifyEmail: 3 * 86_400
        case .resetPassword: 3_600
        case .adminSetup: 86_400
        case .secondFactor: 600
        case .changeEmail: 86_400
        }
    }
}
