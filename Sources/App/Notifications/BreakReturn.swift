import Fluent
import SQLKit
import Vapor

/// What happened while a member was away, in a few numbers and the topics that concern them.
struct AwaySummary: Sendable {
    var notifications = 0
    var forYou = 0
    var newTopics = 0
    var repliesInMyTopics = 0
    var topics: [(id: Int, title: String)] = []

    static func load(memberID: UUID, since: Date, on sql: any SQLDatabase) async throws -> AwaySummary {
        var summary = AwaySummary()
        if let row = try await sql.raw(
            """
            SELECT COUNT(*) AS n,
                   SUM(CASE WHEN kind IN ('reply', 'quote', 'mention', 'moderator', 'welcome') THEN 1 ELSE 0 END) AS mine
            FROM notifications WHERE member_id = \(bind: memberID) AND read_at IS NULL AND updated_at >= \(bind: since)
            """
        ).first() {
            summary.notifications = try row.decode(column: "n", as: Int.self)
            summary.forYou = Int(try row.decode(column: "mine", as: Int64?.self) ?? 0)
        }
        summary.newTopics =
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM topics t WHERE \(Guardian.isListedInForumSQL(topic: "t")) AND t.created_at >= \(bind: since)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        // The member's own topics that moved on, most recent first: what they may want to see.
        for row in try await sql.raw(
            """
            SELECT t.id, t.title, (SELECT COUNT(*) FROM posts p WHERE p.topic_id = t.id AND p.created_at >= \(bind: since)
                                   AND p.author_id <> \(bind: memberID)) AS replies
            FROM topics t WHERE t.author_id = \(bind: memberID) AND \(Guardian.isListedInForumSQL(topic: "t")) AND t.last_activity_at >= \(bind: since)
            ORDER BY t.last_activity_at DESC LIMIT 5
            """
        ).all() {
            let replies = try row.decode(column: "replies", as: Int.self)
            guard replies > 0 else { continue }
            summary.repliesInMyTopics += replies
            summary.topics.append((try row.decode(column: "id", as: Int.self), try row.decode(column: "title", as: String.self)))
        }
        return summary
    }
}

/// After a break, the first page a member sees is "while you were away" (once).
struct BreakReturn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, let member = request.member, member.isBackFromBreak(at: request.connect.clock.now()),
            !PolicyGate.isOpen(request.url.path), request.url.path != "/away", request.url.path != "/live"
        {
            var target = request.url.path
            if let query = request.url.query, !query.isEmpty { target += "?\(query)" }
            return request.redirect(to: "/away?next=\(LocalPath.encode(target))")
        }
        return try await next.respond(to: request)
    }
}
