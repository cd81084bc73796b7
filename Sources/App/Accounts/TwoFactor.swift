import Fluent
import SQLKit
import Vapor

/// Two-factor sign-in: enrolling a TOTP key, checking a code or a recovery code.
/// Moderators and admins must use it, because they can see members' personal data.
struct TwoFactor {
    let database: any Database
    let now: Date

    /// Who must have two-factor sign-in before reaching their pages.
    static func isRequired(for member: Member) -> Bool { member.role == .moderator || member.role == .admin || member.role == .editor }

    /// The key being enrolled: kept on the member, not yet in force until a code proves the app has it.
    func pendingSecret(for member: Member) async throws -> String {
        if let secret = member.totpSecret, member.totpEnabledAt == nil { return secret }
        let secret = TOTP.newSecret()
        member.totpSecret = secret
        member.totpEnabledAt = nil
        try await member.save(on: database)
        return secret
    }

    /// Turns two-factor on when the code matches the pending key; returns fresh recovery codes.
    func enable(_ member: Member, code: String) async throws -> [String]? {
        guard let secret = member.totpSecret, let totp = TOTP(base32: secret),
            let counter = totp.matchingCounter(code, at: now)
        else { return nil }
        let memberID = try member.requireID()
        let codes = (0..<RecoveryCode.count).map { _ in RecoveryCode.generate() }
        try await database.transaction { db in
            member.totpEnabledAt = now
            member.totpLastCounter = counter
            try await member.save(on: db)
            try await RecoveryCode.query(on: db).filter(\.$memberID == memberID).delete()
            for code in codes { try await RecoveryCode(memberID: memberID, code: code, createdAt: now).create(on: db) }
            try await AuditEvent(
                actorID: memberID, action: "two_factor.enable", subjectMemberID: memberID, detail: "",
                createdAt: now, target: "member:\(memberID)"
            ).create(on: db)
        }
        return codes
    }

    /// Checks a sign-in code: a TOTP code not used before, or an unused recovery code (used up here).
    func verify(_ member: Member, code: String) async throws -> Bool {
        let memberID = try member.requireID()
        if let secret = member.totpSecret, let totp = TOTP(base32: secret), let counter = totp.matchingCounter(code, at: now) {
            // Only a later step than the last one used: the conditional update makes a replay fail.
            let rows = try await (database as! any SQLDatabase).raw(
                """
                UPDATE members SET totp_last_counter = \(bind: counter)
                WHERE id = \(bind: memberID) AND (totp_last_counter IS NULL OR totp_last_counter < \(bind: counter)) RETURNING id
                """
            ).all()
            return rows.count == 1
        }
        let normalised = RecoveryCode.normalise(code)
        guard normalised.count == 10 else { return false }
        let rows = try await (database as! any SQLDatabase).raw(
            """
            UPDATE recovery_codes SET used_at = \(bind: now)
            WHERE member_id = \(bind: memberID) AND code_hash = \(bind: SecureToken.hash(normalised)) AND used_at IS NULL RETURNING id
            """
        ).all()
        if rows.count == 1 {
            try await AuditEvent(
                actorID: memberID, action: "two_factor.recovery_code", subjectMemberID: memberID, detail: "",
                createdAt: now
            ).create(on: database)
        }
        return rows.count == 1
    }
}
