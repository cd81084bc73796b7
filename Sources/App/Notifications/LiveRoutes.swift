import Fluent
import SQLKit
import Vapor

/// Server-Sent Events: the notification count, and new posts in the open topic or new messages
/// in the open conversation, without a reload. Paused during the member's quiet hours and breaks. The stream ends after a few
/// minutes and the browser reconnects, so no connection is held for ever.
struct LiveRoutes: RouteCollection {
    static let tick: TimeInterval = 3
    static let ticksPerStream = 100

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireMember()).get("live", use: live)
    }

    struct LivePost: Encodable {
        let number: Int
        let author: String
        /// The team badge beside the author's name and what it says to a screen reader; nil for members.
        var badge: String? = nil
        var badgeHint: String? = nil
        let time: String
        let html: String
    }

    /// GET /live?topic=&after=: `once=1` sends one round and ends (for tests and simple clients).
    func live(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let memberID = try member.requireID()
        // Only a topic the member may see; otherwise just the count.
        var seen: Int? = nil
        if let id = req.query[Int.self, at: "topic"], let topic = try await Topic.find(id, on: req.db), Guardian.canSee(topic, by: member) {
            seen = id
        }
        let topicID = seen
        // Only a conversation the member reads (Guardian); otherwise nothing of it.
        var readable: Int? = nil
        if let id = req.query[Int.self, at: "conversation"],
            let (conversation, membership) = try await MessageQueries.conversation(id, viewer: member, on: req.db),
            Guardian.canRead(conversation, membership: membership, by: member)
        {
            readable = id
        }
        let conversationID = readable
        let start = req.query[Int.self, at: "after"] ?? Int.max
        let rounds = req.query[String.self, at: "once"] == "1" ? 1 : Self.ticksPerStream
        let prefs = try await NotificationPreferences.of(memberID, on: req.db)
        let db = req.db
        let clock = req.connect.clock
        let localizer = req.connect.localizer
        let locale = req.locale
        let logger = req.logger
        let signals = req.connect.cluster.live
        let watched = Set([topicID.map { "t:\($0)" }, conversationID.map { "c:\($0)" }].compactMap { $0 })
        let response = Response(
            status: .ok,
            body: .init(asyncStream: { writer in
                var after = start
                var lastCount = -1
                do {
                    for round in 0..<rounds {
                        let now = clock.now()
                        let paused = member.isOnBreak(at: now) || (prefs.quietHours?.contains(minute: LocalTime(now, member.zone).minute) ?? false)
                        var out = ""
                        if paused {
                            // Quiet: nothing but a comment now and then to keep the connection open.
                            out += ": paused\n\n"
                        } else {
                            let count = try await NotificationRows.unreadCount(of: memberID, on: db)
                            if count != lastCount {
                                out += "event: count\ndata: \(count)\n\n"
                                lastCount = count
                            }
                            if let topicID, after != Int.max {
                                let posts = try await Self.newPosts(
                                    topicID: topicID, after: after, viewerID: memberID, on: db,
                                    localizer: localizer, locale: locale)
                                for post in posts {
                                    let json = String(decoding: try JSONEncoder().encode(post), as: UTF8.self)
                                    out += "event: post\ndata: \(json)\n\n"
                                    after = max(after, post.number)
                                }
                            }
                            if let conversationID, after != Int.max {
                                for message in try await MessageQueries.messagesAfter(after, in: conversationID, on: db) {
                                    let badge = TeamBadge.labelKey(for: message.authorRole)
                                    let live = LivePost(
                                        number: message.id,
                                        author: message.authorName.isEmpty ? localizer.text("member.former", locale) : message.authorName,
                                        badge: badge.map { localizer.text($0, locale) },
                                        badgeHint: badge.map { _ in localizer.text("team.badge_hint", locale) },
                                        time: DateFormatting.dayTime(message.createdAt, locale: locale), html: message.html)
                                    let json = String(decoding: try JSONEncoder().encode(live), as: UTF8.self)
                                    out += "event: message\ndata: \(json)\n\n"
                                    after = max(after, message.id)
                                }
                            }
                        }
                        // Something every round, if only an empty comment: a write to a closed
                        // connection fails, which is how a stream learns its browser has gone.
                        try await writer.write(.buffer(ByteBuffer(string: out.isEmpty ? ":\n\n" : out)))
                        // Until the next round, or sooner when another node (or this one) says
                        // the open topic or conversation has something new.
                        if round + 1 < rounds { await signals.wait(for: watched, upTo: Self.tick) }
                        try Task.checkCancellation()
                        if signals.isClosing { break }
                    }
                    try await writer.write(.end)
                } catch {
                    // The browser went away or the server is stopping: end quietly.
                    logger.debug("live stream ended: \(String(describing: error))")
                    try? await writer.write(.end)
                }
            }))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "event-stream", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        return response
    }

    /// Visible posts after `after`, with their cooked HTML (sanitised when written); posts by
    /// members the viewer muted and text withdrawn by former members are left out.
    static func newPosts(topicID: Int, after: Int, viewerID: UUID, on db: any Database, localizer: Localizer, locale: AppLocale) async throws
        -> [LivePost]
    {
        let former = localizer.text("member.former", locale)
        return try await ForumQueries.postsAfter(after, inTopic: topicID, viewerID: viewerID, on: db).map { row in
            let author = try row.decode(column: "author", as: String.self)
            let badge = TeamBadge.labelKey(for: try row.decode(column: "author_role", as: Role.self))
            return LivePost(
                number: try row.decode(column: "number", as: Int.self), author: author.isEmpty ? former : author,
                badge: badge.map { localizer.text($0, locale) }, badgeHint: badge.map { _ in localizer.text("team.badge_hint", locale) },
                time: DateFormatting.dayTime(try row.decode(column: "created_at", as: Date.self), locale: locale),
                html: try row.decode(column: "body_html", as: String.self))
        }
    }
}
