import Fluent
import Vapor

/// Changing one's pseudonym: at most once per 30 days, and the old one stays out of others'
/// reach for 90 days, so nobody can take a name people trusted.
enum PseudonymChange {
    static let interval: TimeInterval = 30 * 86_400
    static let reservation: TimeInterval = 90 * 86_400

    enum Outcome: Equatable {
        case changed
        /// The form has a problem: a localisation key for the field.
        case invalid(String)
        case tooSoon(until: Date)
    }

    /// When the member may change their pseudonym again; nil when they may now.
    static func nextChange(of member: Member, now: Date) -> Date? {
        guard let last = member.pseudonymChangedAt else { return nil }
        let next = last.addingTimeInterval(interval)
        return next > now ? next : nil
    }

    /// Whether someone other than `memberID` holds or has reserved the name.
    static func isTaken(_ key: String, by memberID: UUID?, on db: any Database, now: Date) async throws -> Bool {
        let holder = Member.query(on: db).filter(\.$pseudonymKey == key)
        if let memberID { holder.filter(\.$id != memberID) }
        if try await holder.first() != nil { return true }
        let reserved = ReservedPseudonym.query(on: db).filter(\.$pseudonymKey == key).filter(\.$reservedUntil > now)
        if let memberID { reserved.filter(\.$memberID != memberID) }
        return try await reserved.first() != nil
    }

    static func run(_ member: Member, to raw: String, on db: any Database, now: Date) async throws -> Outcome {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard SignupForm.pseudonymLength.contains(value.count) else { return .invalid("signup.error.pseudonym_length") }
        guard SignupForm.isAllowedPseudonym(value) else { return .invalid("signup.error.pseudonym_characters") }
        let key = Member.key(forPseudonym: value)
        let id = try member.requireID()
        if key == member.pseudonymKey && value == member.pseudonym { return .invalid("settings.error.pseudonym_same") }
        if let until = nextChange(of: member, now: now) { return .tooSoon(until: until) }
        if try await isTaken(key, by: id, on: db, now: now) { return .invalid("signup.error.pseudonym_taken") }
        let oldKey = member.pseudonymKey
        do {
            try await db.transaction { db in
                // Taking back one's own earlier name ends its reservation; the name given up now gets one.
                try await ReservedPseudonym.query(on: db).filter(\.$pseudonymKey ~~ [key, oldKey]).delete()
                if oldKey != key {
                    try await ReservedPseudonym(pseudonymKey: oldKey, memberID: id, reservedUntil: now.addingTimeInterval(reservation)).create(on: db)
                }
                member.pseudonym = value
                member.pseudonymKey = key
                member.pseudonymChangedAt = now
                try await member.save(on: db)
                try await AuditEvent(actorID: id, action: "member.pseudonym", subjectMemberID: id, detail: "", createdAt: now).create(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Someone took the name at the same moment.
            return .invalid("signup.error.pseudonym_taken")
        }
        return .changed
    }
}
