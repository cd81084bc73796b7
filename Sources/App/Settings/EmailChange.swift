import Fluent
import Vapor

/// Changing one's email address: the new address must be confirmed from a link sent to it
/// before it takes effect, and the old address is told about the request.
enum EmailChange {
    enum Outcome: Equatable {
        /// A confirmation link went out (or, when the address belongs to someone else, that
        /// owner was told; the answer is the same so addresses cannot be probed).
        case sent
        case invalid(field: String, key: String)
    }

    static func request(_ member: Member, newAddress raw: String, password: String, req: Request) async throws -> Outcome {
        let email = Member.normalise(email: raw)
        guard EmailAddress.isPlausible(email) else { return .invalid(field: "new_email", key: "signup.error.email") }
        guard email != member.email else { return .invalid(field: "new_email", key: "settings.error.email_same") }
        guard try await CurrentPassword.matches(password, for: member, on: req) else {
            return .invalid(field: "email_password", key: "settings.error.current_password")
        }
        try await req.rateLimiter.hit("email-change:\(try member.requireID())", req.connect.config.rateLimits.resendPerAccount)
        let now = req.connect.clock.now()
        let locale = member.locale ?? req.locale
        try await req.db.transaction { db in
            if let owner = try await Member.query(on: db).filter(\.$email == email).first() {
                let mail = req.accountMails(owner.locale ?? locale).alreadyRegistered(pseudonym: owner.pseudonym)
                try await Outbox.enqueue(mail, to: owner.email, on: db, now: now)
                return
            }
            member.pendingEmail = email
            try await member.save(on: db)
            let token = try await AccountTokens.issue(.changeEmail, for: try member.requireID(), on: db, now: now)
            let mails = req.accountMails(locale)
            try await Outbox.enqueue(mails.emailChange(pseudonym: member.pseudonym, token: token), to: email, on: db, now: now)
            try await Outbox.enqueue(mails.emailChangeNotice(pseudonym: member.pseudonym), to: member.email, on: db, now: now)
        }
        return .sent
    }

    /// Follows the link from the new address. Returns false for an unknown, used or expired
    /// link, or when the address was taken in the meantime.
    static func confirm(secret: String, req: Request) async throws -> Bool {
        let now = req.connect.clock.now()
        guard let token = try await AccountTokens.find(secret, purpose: .changeEmail, on: req.db, now: now),
            let member = try await token.$member.get(on: req.db), let pending = member.pendingEmail
        else { return false }
        do {
            return try await req.db.transaction { db in
                guard try await AccountTokens.redeem(token, on: db, now: now) else { return false }
                guard try await Member.query(on: db).filter(\.$email == pending).first() == nil else { return false }
                member.email = pending
                member.pendingEmail = nil
                member.emailVerifiedAt = now
                try await member.save(on: db)
                let id = try member.requireID()
                try await AuditEvent(actorID: id, action: "member.email", subjectMemberID: id, detail: "", createdAt: now).create(on: db)
                return true
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }
}
