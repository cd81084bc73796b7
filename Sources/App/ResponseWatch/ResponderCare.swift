import Fluent
import Foundation

/// Care for those who care: a member who has replied in many heavy topics in a short time
/// (by default 5 topics with a crisis or concern flag within 7 days; `SiteSettings`) gets one
/// calm, private note on their home page, with a way to take a break and the manual's page on
/// looking after yourself. At most once a month; never by email; not in the audit log nor in
/// any moderator's view: it is stored on the member's own row and shown only to them.
struct ResponderCare {
    /// A context on the publishing transaction; its actor is the member who replied.
    let context: ServiceContext

    /// At most one note in this time.
    static let interval: TimeInterval = 30 * 86_400
    /// A note not closed goes away by itself after this.
    static let shownFor: TimeInterval = 14 * 86_400

    /// Called by the publishing path for every new reply. Costs one small query for a reply in
    /// a topic that is not heavy, nothing for the team or a member who had a note this month.
    func noteReply(_ post: Post, in topic: Topic) async throws {
        let member = context.actor
        let now = context.now
        guard member.role == .member, Guardian.isPublic(post), topic.authorID != member.id else { return }
        if let last = member.careNoteAt, now.timeIntervalSince(last) < Self.interval { return }
        let memberID = try member.requireID()
        // The note comes with a reply in a heavy topic: that is when the count can go up.
        guard try await ResponseWatchQueries.isHeavy(topicOf: post.requireID(), apartFrom: memberID, on: context.db) else { return }
        let settings = try await SiteSettingsQueries.load(on: context.db)
        let count = try await ResponseWatchQueries.heavyTopicsRepliedTo(
            by: memberID, since: now.addingTimeInterval(-settings.careWindow), on: context.db)
        guard count >= settings[.careTopics] else { return }
        if try await ResponseWatchQueries.giveCareNote(to: memberID, now: now, notSince: now.addingTimeInterval(-Self.interval), on: context.db) {
            member.careNoteAt = now
            member.careNoteClosedAt = nil
        }
    }

    /// Whether the member's home page shows the note now: given, not closed, recent, and not
    /// during a break (the break is what it suggests).
    static func showsNote(to member: Member, now: Date) -> Bool {
        guard let given = member.careNoteAt, now.timeIntervalSince(given) < shownFor, !member.isOnBreak(at: now) else { return false }
        return member.careNoteClosedAt.map { $0 < given } ?? true
    }

    /// The member closes the note.
    func close() async throws {
        let member = context.actor
        try await ResponseWatchQueries.closeCareNote(of: member.requireID(), now: context.now, on: context.db)
        member.careNoteClosedAt = context.now
    }
}
