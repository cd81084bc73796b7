import Fluent
import SQLKit
import TextRules
import Vapor

/// `connect seed-community --blog-entries N --news N [--conversations N --messages N] [--seed S]`:
/// adds blog entries (a tenth of them private journal entries) with comments, published news
/// items with comments, and private conversations with their messages (`demo-1@example.org` is
/// in 200 of them), to a database that `seed-demo` filled with members. In bulk, for trying the
/// site and for `scripts/bench-community`.
struct SeedCommunityCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "blog-entries", help: "Number of blog entries (default 200)") var blogEntries: Int?
        @Option(name: "news", help: "Number of news items (default 20)") var news: Int?
        @Option(name: "conversations", help: "Number of private conversations (default 0)") var conversations: Int?
        @Option(name: "messages", help: "Number of private messages in them (default 0)") var messages: Int?
        @Option(name: "seed", help: "Random seed, for repeatable data (default 1)") var seed: Int?
    }

    var help: String { "Adds demo blog entries and news items (run seed-demo first)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = ContinuousClock.now
        let counts = try await CommunitySeeder(
            blogEntries: max(0, signature.blogEntries ?? 200), news: max(0, signature.news ?? 20),
            seed: UInt64(max(0, signature.seed ?? 1)), now: app.connect.clock.now()
        ).run(on: app.db)
        let conversations = max(0, signature.conversations ?? 0)
        let messages = try await MessageSeeder(
            conversations: conversations, messages: conversations == 0 ? 0 : max(conversations, signature.messages ?? 0),
            seed: UInt64(max(0, signature.seed ?? 1)), now: app.connect.clock.now()
        ).run(on: app.db)
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        context.console.success(
            "Seeded \(counts.entries) blog entries and \(counts.news) news items with \(counts.comments) comments, \(conversations) conversations with \(messages) messages in \(String(format: "%.1f", seconds)) s."
        )
    }
}

/// Writes demo blog entries and news items with a few large statements.
struct CommunitySeeder {
    let blogEntries: Int
    let news: Int
    let seed: UInt64
    let now: Date

    func run(on database: any Database) async throws -> (entries: Int, news: Int, comments: Int) {
        let cooker = MarkdownCooker()
        let writer = DemoSeeder(plan: DemoPlan(members: 0, topics: 0, posts: 0, seed: seed), passwordHash: "", now: now)
        return try await database.transaction { db in
            var text = DemoText(seed: seed &+ 7)
            let sql = db as! any SQLDatabase
            let members = try await sql.raw("SELECT id FROM members WHERE role = \(bind: Role.member.rawValue) AND closed_at IS NULL ORDER BY id")
                .all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !members.isEmpty else { throw Abort(.badRequest, reason: "run seed-demo first: there are no members") }
            let blogsCategory = try await CommunityQueries.internalCategoryID(.blogs, on: db)
            let newsCategory = try await CommunityQueries.internalCategoryID(.news, on: db)
            let themes = try await Category.ordered(on: db).compactMap(\.id)
            var topicID = (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM topics").first()?.decode(column: "n", as: Int.self) ?? 0) + 1
            var postID = (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM posts").first()?.decode(column: "n", as: Int.self) ?? 0) + 1
            var topicRows = [[any Encodable & Sendable]]()
            var postRows = [[any Encodable & Sendable]]()
            var newsRows = [[any Encodable & Sendable]]()
            var searchRows = [SearchIndex.Entry]()
            var comments = 0

            /// One topic with its opening post and comments; returns nothing, fills the rows.
            func add(kind: TopicKind, category: Int, author: UUID, title: String, created: Date, comments count: Int) {
                let dutch = text.below(4) > 0
                var time = created
                let opening = text.body(dutch: dutch) + "\n\n" + text.body(dutch: dutch)
                let journal = kind == .journal
                let openingHTML = cooker.cook(opening)
                postRows.append([
                    postID, topicID, 1, author, opening, openingHTML, time,
                    journal ? Screening.journal.rawValue : Screening.screened.rawValue,
                ])
                if !journal { searchRows.append(SearchIndex.Entry(postID: postID, title: title, html: openingHTML)) }
                postID += 1
                for number in stride(from: 2, through: count + 1, by: 1) {
                    time = time.addingTimeInterval(Double(300 + text.below(8 * 3_600)))
                    let body = text.body(dutch: dutch)
                    let html = cooker.cook(body)
                    postRows.append([
                        postID, topicID, number, members[text.below(members.count)], body, html, time, Screening.screened.rawValue,
                    ])
                    searchRows.append(SearchIndex.Entry(postID: postID, title: "", html: html))
                    postID += 1
                    comments += 1
                }
                topicRows.append([
                    topicID, category, author, title, created, time, count + 1, count, false, false, !journal, kind.rawValue,
                ])
                topicID += 1
            }

            for _ in 0..<blogEntries {
                let journal = text.below(10) == 0
                let created = now.addingTimeInterval(-Double(60 + text.below(120 * 86_400)))
                add(
                    kind: journal ? .journal : .blog, category: blogsCategory, author: members[text.below(members.count)],
                    title: text.title(dutch: true), created: created, comments: journal ? 0 : text.below(8))
            }
            let editor = members[0]
            for i in 0..<news {
                let created = now.addingTimeInterval(-Double(3_600 + text.below(365 * 86_400)))
                let publication = i % 4 == 3
                add(kind: .news, category: newsCategory, author: editor, title: text.title(dutch: true), created: created, comments: text.below(25))
                newsRows.append([
                    topicID - 1, publication ? NewsItem.Kind.publication.rawValue : NewsItem.Kind.news.rawValue, NewsItem.Language.nl.rawValue,
                    text.body(dutch: true), text.below(3) == 0 ? themes[text.below(themes.count)] : nil,
                    publication ? "Jansen, De Vries et al." : nil, publication ? "Tijdschrift voor Psychiatrie" : nil,
                    publication ? 2020 + text.below(6) : nil, publication ? "https://doi.org/10.1000/demo.\(i)" : nil, false, created, true, true,
                    i < 2, i == 0, true, editor, created,
                ])
            }
            try await writer.insert(
                sql, "topics",
                [
                    "id", "category_id", "author_id", "title", "created_at", "last_activity_at",
                    "last_post_number", "reply_count", "pinned", "closed", "visible", "kind",
                ], topicRows)
            try await writer.insert(
                sql, "posts", ["id", "topic_id", "number", "author_id", "body_markdown", "body_html", "created_at", "screening"], postRows)
            try await writer.insert(
                sql, "news_items",
                [
                    "topic_id", "kind", "language", "summary", "theme_id", "source_authors", "source_publisher", "source_year", "source_link",
                    "source_evidence", "publish_at", "published", "fanout_done", "pinned", "public", "comments_allowed", "created_by", "updated_at",
                ], newsRows)
            try await writer.indexForSearch(db, searchRows)
            if DatabaseDialect(db) == .postgres {
                for table in ["topics", "posts"] {
                    try await sql.raw("SELECT setval(pg_get_serial_sequence('\(unsafeRaw: table)', 'id'), (SELECT MAX(id) FROM \(unsafeRaw: table)))")
                        .run()
                }
            }
            return (blogEntries, news, comments)
        }
    }
}

/// Writes demo conversations of two members and their messages with a few large statements.
/// The first demo member is in 200 of them (the benchmark's conversation list).
struct MessageSeeder {
    let conversations: Int
    let messages: Int
    let seed: UInt64
    let now: Date

    func run(on database: any Database) async throws -> Int {
        guard conversations > 0 else { return 0 }
        let writer = DemoSeeder(plan: DemoPlan(members: 0, topics: 0, posts: 0, seed: seed), passwordHash: "", now: now)
        let cooker = MarkdownCooker()
        return try await database.transaction { db in
            var text = DemoText(seed: seed &+ 11)
            let sql = db as! any SQLDatabase
            let members = try await sql.raw("SELECT id FROM members WHERE role = \(bind: Role.member.rawValue) AND closed_at IS NULL ORDER BY id")
                .all().map { try $0.decode(column: "id", as: UUID.self) }
            guard members.count > 1 else { throw Abort(.badRequest, reason: "run seed-demo first: too few members") }
            let first =
                try await sql.raw("SELECT id FROM members WHERE email = 'demo-1@example.org'").first()?.decode(column: "id", as: UUID.self)
                ?? members[0]
            // A handful of texts, cooked once: the benchmark measures pages, not Markdown.
            let bodies = (0..<40).map { _ in text.body(dutch: text.below(4) > 0) }
            let cooked = bodies.map { cooker.cook($0) }
            var conversationID =
                (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM conversations").first()?.decode(column: "n", as: Int.self) ?? 0) + 1
            var messageID = (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM messages").first()?.decode(column: "n", as: Int.self) ?? 0) + 1
            var conversationRows = [[any Encodable & Sendable]]()
            var memberRows = [[any Encodable & Sendable]]()
            var messageRows = [[any Encodable & Sendable]]()
            for c in 0..<conversations {
                let a = c < 200 ? first : members[text.below(members.count)]
                var b = members[text.below(members.count)]
                while b == a { b = members[text.below(members.count)] }
                // Messages spread over the conversations, some long (a full page and more).
                let count = max(1, messages / conversations + (c % 10 == 0 ? 40 : 0) - (c % 10 == 0 ? 0 : 4))
                var time = now.addingTimeInterval(-Double(3_600 + text.below(200 * 86_400)))
                let started = time
                for i in 0..<count {
                    let k = text.below(bodies.count)
                    messageRows.append([messageID, conversationID, i.isMultiple(of: 2) ? a : b, bodies[k], cooked[k], time])
                    messageID += 1
                    time = time.addingTimeInterval(Double(60 + text.below(4 * 3_600)))
                }
                let last = messageID - 1
                conversationRows.append([conversationID, a, started, time, last, false])
                // The first member has read all but a few.
                let unread = text.below(5) == 0
                memberRows.append([UUID(), conversationID, a, started, false, unread ? last - 1 : last])
                memberRows.append([UUID(), conversationID, b, started, false, last])
                conversationID += 1
            }
            try await writer.insert(
                sql, "conversations", ["id", "started_by", "created_at", "last_message_at", "last_message_id", "from_moderators"], conversationRows)
            try await writer.insert(
                sql, "conversation_members", ["id", "conversation_id", "member_id", "joined_at", "muted", "last_read_message_id"], memberRows)
            try await writer.insert(sql, "messages", ["id", "conversation_id", "author_id", "body_markdown", "body_html", "created_at"], messageRows)
            if DatabaseDialect(db) == .postgres {
                for table in ["conversations", "messages"] {
                    try await sql.raw("SELECT setval(pg_get_serial_sequence('\(unsafeRaw: table)', 'id'), (SELECT MAX(id) FROM \(unsafeRaw: table)))")
                        .run()
                }
            }
            return messageRows.count
        }
    }
}
