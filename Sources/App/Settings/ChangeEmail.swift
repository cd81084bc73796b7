import Fluent
import SQLKit
import Vapor

/// Changing one's email address: the new address must be confirmed from a link sent to it
/// before it takes effect, and the old address is told about the request.
struct ChangeEmail {
    /// The member acts.
    let context: ServiceContext

    enum Outcome: Equatable {
        /// A confirmation link went out (or, when the address belongs to someone else, that
        /// owner was told; the answer is the same so addresses cannot be probed).
        case sent
        case invalid(field: String, key: String)
    }

    func request(newAddress raw: String, password: String) async throws -> Outcome {
        let member = context.actor
        let email = Member.normalise(email: raw)
        guard EmailAddress.isPlausible(email) else { return .invalid(field: "new_email", key: "signup.error.email") }
        guard email != member.email else { return .invalid(field: "new_email", key: "settings.error.email_same") }
        guard try await CurrentPassword.matches(password, in: context) else {
            return .invalid(field: "email_password", key: "settings.error.current_password")
        }
        try await RateLimiter(database: context.db as! any SQLDatabase, clock: context.clock)
            .hit("email-change:\(try member.requireID())", context.services.config.rateLimits.resendPerAccount)
        let now = context.now
        let locale = member.locale ?? context.locale
        let services = context.services
        try await context.db.transaction { db in
            if let owner = try await Member.query(on: db).filter(\.$email == email).first() {
                let mail = AccountMails(services: services, locale: owner.locale ?? locale).alreadyRegistered(pseudonym: owner.pseudonym)
                try await Outbox.enqueue(mail, to: owner.email, on: db, now: now)
                return
            }
            member.pendingEmail = email
            try await member.save(on: db)
            let token = try await AccountTokens.issue(.changeEmail, for: try member.requireID(), on: db, now: now)
            let mails = AccountMails(services: services, locale: locale)
            try await Outbox.enqueue(mails.emailChange(pseudonym: member.pseudonym, token: token), to: email, on: db, now: now)
            try await Outbox.enqueue(mails.emailChangeNotice(pseudonym: member.pseudonym), to: member.email, on: db, now: now)
        }
        return .sent
    }

    /// Follows the link from the new address. Returns false for an unknown, used or expired
    /// link, or when the address was taken in the meantime.
    /// Nobody needs to be logged in: the token names the member and proves the address.
    static func confirm(secret: String, on database: any Database, now: Date) async throws -> Bool {
        guard let token = try await AccountTokens.find(secret, purpose: .changeEmail, on: database, now: now),
            let member = try await token.$member.get(on: database), let pending = member.pendingEmail
        else { return false }
        do {
            return try await database.transaction { db in
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
