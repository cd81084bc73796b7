import Fluent
import SQLKit
import Vapor

/// What a moderator reads when a shift starts: the logbook since their own last shift (newest
/// first), the open items those entries carried over, and the crisis items nobody resolved.
struct Handover: Sendable {
    struct Entry: Sendable {
        let entry: LogbookEntry
        let authorPseudonym: String
        let shiftKind: Shift.Kind
    }

    let since: Date
    let entries: [Entry]
    let openCrisisItems: Int

    /// When a moderator has no earlier shift, the handover covers the last three days.
    static let firstShiftWindow: TimeInterval = 3 * 86_400

    static func load(for moderatorID: UUID, current: Shift, on db: any Database) async throws -> Handover {
        let previous = try await Shift.query(on: db).filter(\.$moderatorID == moderatorID).filter(\.$endedAt != nil)
            .filter(\.$startedAt < current.startedAt).sort(\.$startedAt, .descending).first()
        let since = previous?.endedAt ?? current.startedAt.addingTimeInterval(-firstShiftWindow)
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT \(unsafeRaw: LogbookEntry.columns), m.pseudonym, s.kind AS shift_kind
            FROM logbook_entries e JOIN members m ON m.id = e.author_id JOIN shifts s ON s.id = e.shift_id
            WHERE e.created_at > \(bind: since) ORDER BY e.created_at DESC LIMIT 100
            """
        ).all()
        let entries = try rows.map { row in
            Entry(
                entry: try LogbookEntry.from(row: row),
                authorPseudonym: try row.decode(column: "pseudonym", as: String.self),
                shiftKind: try row.decode(column: "shift_kind", as: Shift.Kind.self))
        }
        let crisis = try await ReviewItem.query(on: db).filter(\.$kind == .crisis).filter(\.$resolvedAt == nil).count()
        return Handover(since: since, entries: entries, openCrisisItems: crisis)
    }
}

extension LogbookEntry {
    static let columns =
        "e.id, e.shift_id, e.author_id, e.atmosphere, e.atmosphere_note, e.peculiarities, e.watch_members, e.open_items, e.created_at"

    static func from(row: any SQLRow) throws -> LogbookEntry {
        let entry = LogbookEntry()
        entry.id = try row.decode(column: "id", as: UUID.self)
        entry.shiftID = try row.decode(column: "shift_id", as: UUID.self)
        entry.authorID = try row.decode(column: "author_id", as: UUID.self)
        entry.atmosphere = try row.decode(column: "atmosphere", as: Int.self)
        entry.atmosphereNote = try row.decode(column: "atmosphere_note", as: String.self)
        entry.peculiarities = try row.decode(column: "peculiarities", as: String.self)
        entry.watchMembers = try row.decode(column: "watch_members", as: String.self)
        entry.openItems = try row.decode(column: "open_items", as: String.self)
        entry.createdAt = try row.decode(column: "created_at", as: Date.self)
        entry.$id.exists = true
        return entry
    }
}

/// Starting, acknowledging and ending shifts.
struct ShiftDesk {
    let database: any Database
    let now: Date

    func current(for moderatorID: UUID) async throws -> Shift? {
        try await Shift.query(on: database).filter(\.$moderatorID == moderatorID).filter(\.$endedAt == nil)
            .sort(\.$startedAt, .descending).first()
    }

    func start(for moderator: Member, kind: Shift.Kind) async throws -> Shift {
        let moderatorID = try moderator.requireID()
        if let open = try await current(for: moderatorID) { return open }
        let shift = Shift(moderatorID: moderatorID, kind: kind, startedAt: now)
        try await database.transaction { db in
            try await shift.create(on: db)
            try await AuditEvent(
                actorID: moderatorID, action: "shift.start", subjectMemberID: nil, detail: kind.rawValue,
                createdAt: now, target: "shift:\(try shift.requireID().uuidString)"
            ).create(on: db)
        }
        return shift
    }

    func acknowledge(_ shift: Shift) async throws {
        guard shift.handoverAcknowledgedAt == nil else { return }
        shift.handoverAcknowledgedAt = now
        try await shift.save(on: database)
    }

    func end(_ shift: Shift, entry: LogbookEntry) async throws {
        try await database.transaction { db in
            entry.shiftID = try shift.requireID()
            entry.authorID = shift.moderatorID
            entry.createdAt = now
            try await entry.create(on: db)
            shift.endedAt = now
            try await shift.save(on: db)
            try await AuditEvent(
                actorID: shift.moderatorID, action: "shift.end", subjectMemberID: nil, detail: "",
                createdAt: now, target: "shift:\(try shift.requireID().uuidString)"
            ).create(on: db)
        }
    }
}

/// Claiming and resolving queue items.
struct ReviewDesk {
    /// The moderator acts.
    let context: ServiceContext
    private var moderator: Member { context.actor }

    func claim(_ item: ReviewItem) async throws {
        item.claimedBy = moderator.id
        item.claimedAt = context.now
        try await item.save(on: context.db)
    }

    /// Resolves an item with an outcome and a reason. A post hidden only by members' reports
    /// (no moderator hid it) is shown again when the outcome is "no action". A crisis item
    /// acknowledges its alert too (with the reason as the note), unless someone already did.
    func resolve(_ item: ReviewItem, outcome: ReviewItem.Outcome, reason: String) async throws {
        let now = context.now
        try await context.db.transaction { db in
            if item.kind == .crisis, let alertID = item.alertID,
                try await AlertRows.claimAcknowledgement(of: alertID, by: moderator.requireID(), note: reason, now: now, on: db)
            {
                try await AuditEvent(
                    actorID: moderator.id, action: "alert.acknowledge", subjectMemberID: item.memberID, detail: "review item",
                    createdAt: now, target: "alert:\(alertID.uuidString)", reason: reason
                ).create(on: db)
            }
            item.resolvedBy = moderator.id
            item.resolvedAt = now
            item.outcome = outcome
            item.outcomeReason = reason
            try await item.save(on: db)
            if outcome == .noAction, item.kind == .flag, let postID = item.postID,
                let post = try await Post.find(postID, on: db), post.screening == .hidden, post.moderationReason == nil
            {
                post.screening = .screened
                if post.screenedAt == nil {
                    post.screenedAt = now
                    post.screenedBy = moderator.id
                }
                try await post.save(on: db)
                if post.number == 1 { try await PostModeration.setTopicVisible(post.topicID, true, on: db) }
                let title = post.number == 1 ? (try await Topic.find(post.topicID, on: db)?.title ?? "") : ""
                try await SearchIndex(database: db).index(post, title: title)
            }
            try await AuditEvent(
                actorID: moderator.id, action: "review.resolve", subjectMemberID: item.memberID,
                detail: item.kind.rawValue, createdAt: now, target: "review:\(try item.requireID().uuidString)",
                reason: reason, after: outcome.rawValue
            ).create(on: db)
        }
    }
}
