import Fluent
import TextRules
import Vapor

/// An account of any role. Public: pseudonym. Private: email and real name.
public final class Member: Model, @unchecked Sendable {
    public static let schema = "members"

    @ID(key: .id) public var id: UUID?
    /// Lower-cased; private, seen only by the member and (logged) by moderators.
    @Field(key: "email") public var email: String
    @OptionalField(key: "email_verified_at") public var emailVerifiedAt: Date?
    @Field(key: "password_hash") public var passwordHash: String
    /// The public name, as typed.
    @Field(key: "pseudonym") public var pseudonym: String
    /// The pseudonym folded for uniqueness (case-insensitive).
    @Field(key: "pseudonym_key") public var pseudonymKey: String
    /// What the pseudonym looks like (`PseudonymRules.skeleton`), unique: no member can take a
    /// look-alike of another's name. Nil only for rows written by bulk tools without it.
    @OptionalField(key: "pseudonym_skeleton") public var pseudonymSkeleton: String?
    @OptionalField(key: "real_name") public var realName: String?
    @Field(key: "role") public var role: Role
    /// The member's chosen language; nil follows the browser.
    @OptionalField(key: "locale") public var locale: AppLocale?
    @Field(key: "time_zone") public var timeZone: String
    @Field(key: "created_at") public var createdAt: Date
    /// Updated at most every few minutes while the member is active.
    @OptionalField(key: "last_seen_at") public var lastSeenAt: Date?
    /// The start of the visit before this one: "new since your last visit" counts from here.
    @OptionalField(key: "previous_visit_at") public var previousVisitAt: Date?
    /// Read-only until then (a moderator's silence); nil when not silenced.
    @OptionalField(key: "silenced_until") public var silencedUntil: Date?
    /// No login until then (a moderator's suspension; far in the future for "indefinitely").
    @OptionalField(key: "suspended_until") public var suspendedUntil: Date?
    /// The TOTP key (base32) for two-factor sign-in; set while enrolling, in force once enabled.
    @OptionalField(key: "totp_secret") public var totpSecret: String?
    @OptionalField(key: "totp_enabled_at") public var totpEnabledAt: Date?
    /// The last TOTP step accepted, so a code cannot be used twice.
    @OptionalField(key: "totp_last_counter") public var totpLastCounter: Int64?
    /// The avatar's colour: nil follows the pseudonym, "none" shows no picture (`AvatarChoice`).
    @OptionalField(key: "avatar_colour") public var avatarColour: String?
    /// A few words about themselves, shown on the profile; never required.
    @OptionalField(key: "introduction") public var introduction: String?
    /// When the first-login invitation to introduce oneself was shown (answered or skipped).
    @OptionalField(key: "intro_prompted_at") public var introPromptedAt: Date?
    /// The last time the member changed their pseudonym (at most once per 30 days).
    @OptionalField(key: "pseudonym_changed_at") public var pseudonymChangedAt: Date?
    /// A new address waiting for its confirmation link; the old one stays in force until then.
    @OptionalField(key: "pending_email") public var pendingEmail: String?
    /// When the member left; within the grace period a login restores the account.
    @OptionalField(key: "closed_at") public var closedAt: Date?
    /// On leaving: keep the posts under "former member", or remove their text.
    @OptionalField(key: "leave_choice") public var leaveChoice: LeaveChoice?
    /// When the personal data was erased for good, after the grace period.
    @OptionalField(key: "erased_at") public var erasedAt: Date?
    /// A pause from the community: no email, no counts, until then.
    @OptionalField(key: "break_until") public var breakUntil: Date?
    /// When the current (or just ended) break began; cleared once "while you were away" was shown.
    @OptionalField(key: "break_started_at") public var breakStartedAt: Date?
    /// Since when the member asked to be shown topics still waiting for a reply (a few, on the
    /// home page); nil: not shown. On the row, like a break, so the home page needs no query.
    @OptionalField(key: "responder_since") public var responderSince: Date?
    /// When the member was last given the private care note (`ResponderCare`), at most once a
    /// month, and when they closed it. Nobody else sees either.
    @OptionalField(key: "care_note_at") public var careNoteAt: Date?
    @OptionalField(key: "care_note_closed_at") public var careNoteClosedAt: Date?
    /// Who may start a private conversation with this member.
    @Field(key: "message_policy") var messagePolicy: MessagePolicy

    public init() {}

    public init(email: String, passwordHash: String, pseudonym: String, realName: String?, role: Role, locale: AppLocale?, createdAt: Date) {
        self.email = email
        self.passwordHash = passwordHash
        self.pseudonym = pseudonym
        self.pseudonymKey = Member.key(forPseudonym: pseudonym)
        self.pseudonymSkeleton = PseudonymRules.skeleton(of: pseudonym)
        self.realName = realName
        self.role = role
        self.locale = locale
        self.timeZone = "Europe/Amsterdam"
        self.messagePolicy = .everyone
        self.createdAt = createdAt
    }

    public var isVerified: Bool { emailVerifiedAt != nil }

    var isClosed: Bool { closedAt != nil }

    func isOnBreak(at now: Date) -> Bool { breakUntil.map { $0 > now } ?? false }
    /// A break has ended and the member has not yet seen what happened while they were away.
    func isBackFromBreak(at now: Date) -> Bool { breakStartedAt != nil && !isOnBreak(at: now) }

    var hasTwoFactor: Bool { totpEnabledAt != nil && totpSecret != nil }

    func isSilenced(at now: Date) -> Bool { silencedUntil.map { $0 > now } ?? false }
    func isSuspended(at now: Date) -> Bool { suspendedUntil.map { $0 > now } ?? false }

    /// Case- and width-insensitive form of a pseudonym, for the unique index.
    public static func key(forPseudonym pseudonym: String) -> String {
        pseudonym.folding(options: [.caseInsensitive, .widthInsensitive], locale: nil)
            .trimmingCharacters(in: .whitespaces)
    }

    /// Emails are compared lower-cased and trimmed.
    public static func normalise(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// What happens to a leaving member's posts.
public enum LeaveChoice: String, Codable, Sendable, CaseIterable {
    /// The posts stay, shown under "former member", so conversations stay readable.
    case keepPosts = "keep_posts"
    /// The text of the posts is removed.
    case removeText = "remove_text"
}
