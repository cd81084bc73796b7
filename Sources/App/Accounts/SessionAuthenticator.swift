import Fluent
import SQLKit
import Vapor

/// Reads the session cookie and, when it names a live session, attaches the member.
/// One query: the session joined with its member, read without model reflection.
struct SessionAuthenticator: AsyncMiddleware {
    static let cookieName = "dc_session"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A form may change a session or a member (logout, role, settings, read notifications):
        // when it ends, nothing this server (or any other) has cached counts any more.
        guard request.method == .GET || request.method == .HEAD else {
            do {
                let response = try await authenticate(request, chainingTo: next)
                await request.connect.cluster.sessionsChanged(on: request.db, logger: request.logger)
                return response
            } catch {
                await request.connect.cluster.sessionsChanged(on: request.db, logger: request.logger)
                throw error
            }
        }
        return try await authenticate(request, chainingTo: next)
    }

    private func authenticate(_ request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let cache = request.connect.sessionCache
        if let token = request.incomingCookies[Self.cookieName]?.string, !token.isEmpty, token.count < 100 {
            let now = request.connect.clock.now()
            let key = SecureToken.hash(token)
            request.storage[SessionCacheKey.self] = key
            var row = cache.row(for: key, now: now)
            if row == nil {
                let generation = cache.generation
                row = try await Self.lookup(tokenHash: key, now: now, on: request.db)
                if let row { cache.store(row, for: key, readAt: generation, now: now) }
            }
            if let row {
                let member = try Member.from(row: row, alias: "m")
                let expiresAt = try row.decode(column: "s_expires_at", as: Date.self)
                if expiresAt > now && member.isVerified && !member.isSuspended(at: now) && !member.isClosed {
                    let session = MemberSession()
                    session.id = try row.decode(column: "s_id", as: UUID.self)
                    session.$member.id = try member.requireID()
                    session.expiresAt = expiresAt
                    session.$id.exists = true
                    request.storage[CurrentMemberKey.self] = member
                    request.storage[CurrentSessionKey.self] = session
                    request.storage[UnreadNotificationsKey.self] = try row.decode(column: "unread_count", as: Int.self)
                    request.storage[UnreadMessagesKey.self] = try row.decode(column: "unread_messages", as: Int.self)
                    request.storage[PoliciesOutdatedKey.self] = try row.decode(column: "policies_outdated", as: Int.self) > 0
                    // The cached row holds the visit times from before this write: read it again next time.
                    if try await Self.noteVisit(member, now: now, on: request.db) { cache.forget(key) }
                }
            }
        }
        return try await next.respond(to: request)
    }

    /// The session joined with its member and the header's counts: one query.
    static func lookup(tokenHash: String, now: Date, on db: any Database) async throws -> (any SQLRow)? {
        try await (db as! any SQLDatabase).raw(
            """
            SELECT s.id AS s_id, s.expires_at AS s_expires_at, \(unsafeRaw: Member.columns("m")),
                   (SELECT COUNT(*) FROM notifications n WHERE n.member_id = m.id AND n.read_at IS NULL) AS unread_count,
                   (SELECT COUNT(*) FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id
                    WHERE cm.member_id = m.id AND cm.left_at IS NULL AND cm.muted = \(bind: false)
                      AND c.last_message_id > cm.last_read_message_id) AS unread_messages,
                   \(unsafeRaw: PolicyGate.outdatedCountSQL(member: "m")) AS policies_outdated
            FROM member_sessions s JOIN members m ON m.id = s.member_id
            WHERE s.token_hash = \(bind: tokenHash) AND s.expires_at > \(bind: now)
            """
        ).first()
    }
}

extension SessionAuthenticator {
    /// A gap of this long starts a new visit.
    static let visitGap: TimeInterval = 30 * 60

    /// Writes at most once every five minutes per member, so reading pages stays read-only.
    /// Says whether it wrote.
    @discardableResult
    static func noteVisit(_ member: Member, now: Date, on db: any Database) async throws -> Bool {
        guard let id = member.id else { return false }
        let last = member.lastSeenAt
        if let last, now.timeIntervalSince(last) < 5 * 60 { return false }
        // A first visit has no previous one: nothing is "new since your last visit" yet.
        if let last, now.timeIntervalSince(last) >= visitGap {
            member.previousVisitAt = last
        }
        member.lastSeenAt = now
        try await Member.query(on: db).filter(\.$id == id)
            .set(\.$lastSeenAt, to: now).set(\.$previousVisitAt, to: member.previousVisitAt).update()
        return true
    }
}

enum CurrentMemberKey: StorageKey { typealias Value = Member }
/// Conversations with unread messages (muted ones left out), counted in the session lookup too.
enum UnreadMessagesKey: StorageKey { typealias Value = Int }
enum CurrentSessionKey: StorageKey { typealias Value = MemberSession }
/// The session cache's key for this request's cookie.
enum SessionCacheKey: StorageKey { typealias Value = String }
/// Unread notifications, counted in the session lookup so the header costs no extra query.
enum UnreadNotificationsKey: StorageKey { typealias Value = Int }
/// Whether new terms wait for the member's acceptance, also found in the session lookup.
enum PoliciesOutdatedKey: StorageKey { typealias Value = Bool }

extension Request {
    /// The logged-in member, if any.
    var member: Member? { storage[CurrentMemberKey.self] }
    var memberSession: MemberSession? { storage[CurrentSessionKey.self] }

    /// A page read settled notifications or messages: the next page reads this session's
    /// counts from the database again instead of from the session cache.
    func forgetCachedSession() {
        if let key = storage[SessionCacheKey.self] { connect.sessionCache.forget(key) }
    }

    /// The logged-in member; only for routes behind `RequireMember`.
    func requireMember() throws -> Member {
        guard let member else { throw Abort(.unauthorized) }
        return member
    }
}
