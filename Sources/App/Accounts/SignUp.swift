import Fluent
import Vapor

/// Creates an account and sends the verification mail.
///
/// Answers the same for a new and an already registered email: the owner of an existing
/// address gets a mail saying so instead.
struct SignUp {
    enum Outcome { case done, pseudonymTaken }

    let request: Request

    func run(_ form: SignupForm) async throws -> Outcome {
        let now = request.connect.clock.now()
        let email = form.emailValue
        let pseudonym = form.pseudonymValue
        let locale = request.locale

        // The name or a look-alike of it ("DemoModerаtor" with a Cyrillic а) is taken. The answer
        // is the same whoever's email was typed: names are public, addresses are not, so this
        // must never tell which address is behind a name.
        if try await !PseudonymChange.holders(of: pseudonym, on: request.db).isEmpty {
            return .pseudonymTaken
        }
        // A name someone recently gave up is kept from others for a while.
        if try await PseudonymChange.isReserved(pseudonym, on: request.db, now: now) {
            return .pseudonymTaken
        }
        if let existing = try await Member.query(on: request.db).filter(\.$email == email).first() {
            // Hash anyway so the answer takes as long as for a new account.
            _ = try await request.password.async.hash(form.password ?? "")
            let mail = request.accountMails(existing.locale ?? locale).alreadyRegistered(pseudonym: existing.pseudonym)
            try await Outbox.enqueue(mail, to: existing.email, on: request.db, now: now)
            return .done
        }

        let hash = try await request.password.async.hash(form.password ?? "")
        let versions = try await PageVersions.currentVersions(of: PageSlug.acceptedAtSignup, on: request.db)
        do {
            try await request.db.transaction { db in
                let member = Member(
                    email: email, passwordHash: hash, pseudonym: pseudonym,
                    realName: form.realNameValue, role: .member, locale: locale, createdAt: now)
                try await member.create(on: db)
                let memberID = try member.requireID()
                for slug in PageSlug.acceptedAtSignup {
                    try await PolicyAcceptance(
                        memberID: memberID, pageSlug: slug.rawValue,
                        pageVersion: versions[slug] ?? 1, acceptedAt: now
                    ).create(on: db)
                }
                let token = try await AccountTokens.issue(.verifyEmail, for: memberID, on: db, now: now)
                let mail = request.accountMails(locale).verification(pseudonym: member.pseudonym, token: token)
                try await Outbox.enqueue(mail, to: email, on: db, now: now)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two sign-ups raced for the same pseudonym or email.
            if try await !PseudonymChange.holders(of: pseudonym, on: request.db).isEmpty {
                return .pseudonymTaken
            }
            return .done
        }
        return .done
    }
}
