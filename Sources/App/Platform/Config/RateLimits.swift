/// How often an action may be repeated from one address or for one account.
public struct RateLimits: Sendable {
    public struct Rule: Sendable {
        public var limit: Int
        public var window: Double  // seconds
        public init(limit: Int, window: Double) {
            self.limit = limit
            self.window = window
        }
    }

    public var loginPerIP: Rule
    public var loginPerAccount: Rule
    public var signupPerIP: Rule
    public var resetPerIP: Rule
    public var resetPerAccount: Rule
    public var resendPerIP: Rule
    public var resendPerAccount: Rule
    /// Reports of posts by one member: generous for real use, a wall against a report flood.
    public var reportsPerMember: Rule = Rule(limit: 20, window: 3600)
    /// Data exports one member may ask for: each builds a whole archive.
    public var exportsPerMember: Rule = Rule(limit: 5, window: 86_400)
    /// Attempts at the current password (email, password and leave forms together), against
    /// guessing from an open session.
    public var currentPasswordPerMember: Rule = Rule(limit: 10, window: 3600)
    /// New conversations one member may start: enough to reach out, too few to spam.
    public var conversationsPerMember: Rule = Rule(limit: 5, window: 86_400)
    /// Reports of private messages by one member.
    public var messageReportsPerMember: Rule = Rule(limit: 20, window: 3600)
    /// Research exports one researcher may download: each reads the whole study.
    public var researchExportsPerMember: Rule = Rule(limit: 10, window: 3600)
    /// Questionnaire sections one member may send: far more than answering takes.
    public var questionnaireSavesPerMember: Rule = Rule(limit: 200, window: 3600)
    /// Forms kept for a visitor whose session had expired, per address.
    public var rescuesPerIP: Rule = Rule(limit: 20, window: 3600)

    public static let standard = RateLimits(
        loginPerIP: Rule(limit: 30, window: 900),
        loginPerAccount: Rule(limit: 10, window: 900),
        signupPerIP: Rule(limit: 10, window: 3600),
        resetPerIP: Rule(limit: 10, window: 3600),
        resetPerAccount: Rule(limit: 3, window: 3600),
        resendPerIP: Rule(limit: 10, window: 3600),
        resendPerAccount: Rule(limit: 3, window: 3600)
    )

    /// Multiplies every limit, for load tests and the e2e suite (RATE_LIMIT_SCALE).
    func scaled(by factor: Int) -> RateLimits {
        func s(_ r: Rule) -> Rule { Rule(limit: r.limit * factor, window: r.window) }
        var scaled = RateLimits(
            loginPerIP: s(loginPerIP), loginPerAccount: s(loginPerAccount), signupPerIP: s(signupPerIP),
            resetPerIP: s(resetPerIP), resetPerAccount: s(resetPerAccount),
            resendPerIP: s(resendPerIP), resendPerAccount: s(resendPerAccount))
        scaled.reportsPerMember = s(reportsPerMember)
        scaled.exportsPerMember = s(exportsPerMember)
        scaled.currentPasswordPerMember = s(currentPasswordPerMember)
        scaled.rescuesPerIP = s(rescuesPerIP)
        scaled.conversationsPerMember = s(conversationsPerMember)
        scaled.messageReportsPerMember = s(messageReportsPerMember)
        scaled.researchExportsPerMember = s(researchExportsPerMember)
        scaled.questionnaireSavesPerMember = s(questionnaireSavesPerMember)
        return scaled
    }
}
