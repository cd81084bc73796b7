import Fluent
import SQLKit
import Vapor

/// Issues and redeems single-use account tokens.
enum AccountTokens {
    /// Creates a token and returns the secret to put in a link. Older unused tokens of the
    /// same purpose for the same member stop working.
    static func issue(_ purpose: AccountToken.Purpose, for memberID: UUID?, on db: any Database, now: Date) async throws -> String {
        let unused = AccountToken.query(on: db).filter(\.$purpose == purpose).filter(\.$usedAt == nil)
        if let memberID { unused.filter(\.$member.$id == memberID) } else { unused.filter(\.$member.$id == nil) }
        try await unused.set(\.$usedAt, to: now).update()
        let secret = SecureToken.generate()
        try await AccountToken(
            memberID: memberID, purpose: purpose, tokenHash: SecureToken.hash(secret), createdAt: now,
            expiresAt: now.addingTimeInterval(AccountToken.lifetime(of: purpose))
        ).create(on: db)
        return secret
    }

    /// The token behind a secret when it is of this purpose, unused and not expired.
    static func find(_ secret: String, purpose: AccountToken.Purpose, on db: any Database, now: Date) async throws -> AccountToken? {
        guard secret.count >= 20, secret.count <= 100 else { return nil }
        return try await AccountToken.query(on: db)
            .filter(\.$tokenHash == SecureToken.hash(secret))
            .filter(\.$purpose == purpose)
            .filter(\.$usedAt == nil)
            .filter(\.$expiresAt > now)
            .first()
    }

    /// Marks a token used, only if nobody else did first: the conditional UPDATE … RETURNING
    /// succeeds once, so two clicks at the same moment redeem it once.
    static func redeem(_ token: AccountToken, on db: any Database, now: Date) async throws -> Bool {
        guard let id = token.id else { return false }
        let rows = try await (db as! any SQLDatabase).raw(
            """
            UPDATE account_tokens SET used_at = \(bind: now) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id
            """
        ).all()
        return rows.count == 1
    }
}
