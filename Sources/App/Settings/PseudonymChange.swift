import Fluent
import TextRules
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

    /// Members holding the name or a look-alike of it: the same skeleton, or the same key (for
    /// rows written without a skeleton).
    static func holders(of name: String, except memberID: UUID? = nil, on db: any Database) async throws -> [Member] {
        let key = Member.key(forPseudonym: name)
        let skeleton = PseudonymRules.skeleton(of: name)
        let query = Member.query(on: db).group(.or) { $0.filter(\.$pseudonymSkeleton == skeleton).filter(\.$pseudonymKey == key) }
        if let memberID { query.filter(\.$id != memberID) }
        return try await query.limit(2).all()
    }

    /// Whether the name, or a look-alike, was given up by someone other than `memberID` less than 90 days ago.
    static func isReserved(_ name: String, except memberID: UUID? = nil, on db: any Database, now: Date) async throws -> Bool {
        let key = Member.key(forPseudonym: name)
        let skeleton = PseudonymRules.skeleton(of: name)
        let reserved = ReservedPseudonym.query(on: db)
            .group(.or) { $0.filter(\.$pseudonymSkeleton == skeleton).filter(\.$pseudonymKey == key) }
            .filter(\.$reservedUntil > now)
        if let memberID { reserved.filter(\.$memberID != memberID) }
        return try await reserved.first() != nil
    }

    /// Whether someone other than `memberID` holds or has reserved the name or a look-alike.
    static func isTaken(_ name: String, by memberID: UUID?, on db: any Database, now: Date) async throws -> Bool {
        if try await !holders(of: name, except: memberID, on: db).isEmpty { return true }
        return try await isReserved(name, except: memberID, on: db, now: now)
    }
}

/// Changes the acting member's pseudonym: the rules, look-alikes, reservations and the 30 days.
struct ChangePseudonym {
    /// The member acts.
    let context: ServiceContext
    typealias Outcome = PseudonymChange.Outcome

    /// Checks the new name (rules, look-alikes, reservations, the 30 days) and changes it.
    func run(to raw: String) async throws -> Outcome {
        let member = context.actor
        let db = context.db
        let now = context.now
        let value = PseudonymRules.normalise(raw)
        let isTeam = member.role == .moderator || member.role == .admin
        if let problem = PseudonymRules.problem(with: value, mayUseTeamWords: isTeam) { return .invalid(problem.rawValue) }
        let key = Member.key(forPseudonym: value)
        let skeleton = PseudonymRules.skeleton(of: value)
        let id = try member.requireID()
        if value == member.pseudonym { return .invalid("settings.error.pseudonym_same") }
        if let until = PseudonymChange.nextChange(of: member, now: now) { return .tooSoon(until: until) }
        if try await PseudonymChange.isTaken(value, by: id, on: db, now: now) { return .invalid("signup.error.pseudonym_taken") }
        let old = member.pseudonym
        let oldKey = member.pseudonymKey
        let oldSkeleton = PseudonymRules.skeleton(of: old)
        do {
            try await db.transaction { db in
                // Taking back one's own earlier name ends its reservation; the name given up now
                // gets one, unless the new name looks the same (then the member still holds it).
                try await ReservedPseudonym.query(on: db).group(.or) {
                    $0.filter(\.$pseudonymKey ~~ [key, oldKey]).filter(\.$pseudonymSkeleton ~~ [skeleton, oldSkeleton])
                }.filter(\.$memberID == id).delete()
                // A lapsed reservation of either name by someone else goes too: the folded name is unique there.
                try await ReservedPseudonym.query(on: db).filter(\.$pseudonymKey ~~ [key, oldKey]).delete()
                if oldSkeleton != skeleton {
                    try await ReservedPseudonym(pseudonym: old, memberID: id, reservedUntil: now.addingTimeInterval(PseudonymChange.reservation))
                        .create(on: db)
                }
                member.pseudonym = value
                member.pseudonymKey = key
                member.pseudonymSkeleton = skeleton
                member.pseudonymChangedAt = now
                try await member.save(on: db)
                try await AuditEvent(actorID: id, action: "member.pseudonym", subjectMemberID: id, detail: "", createdAt: now).create(on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Someone took the name (or a look-alike) at the same moment.
            return .invalid("signup.error.pseudonym_taken")
        }
        return .changed
    }
}
