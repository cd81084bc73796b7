import Fluent
import SQLKit
import TextRules
import Vapor

/// `connect seed-demo --members N --topics N --posts N [--seed S]`: fills the database with
/// a realistic community in bulk (multi-row inserts in one transaction), for trying the site
/// and for benchmarks. Every demo member's password is printed at the end.
struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "members", help: "Number of members (default 50)") var members: Int?
        @Option(name: "topics", help: "Number of topics (default 200)") var topics: Int?
        @Option(name: "posts", help: "Number of posts, first posts included (default 2000)") var posts: Int?
        @Option(name: "seed", help: "Random seed, for repeatable data (default 1)") var seed: Int?
    }

    var help: String { "Fills the database with demo members, topics and posts." }
    static let demoPassword = "demo-calm-harbour-2026"

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let plan = DemoPlan(
            members: max(1, signature.members ?? 50), topics: max(1, signature.topics ?? 200),
            posts: max(1, signature.posts ?? 2000), seed: UInt64(max(0, signature.seed ?? 1)))
        let started = ContinuousClock.now
        let hash = try await app.password.async.hash(Self.demoPassword)
        let counts = try await DemoSeeder(plan: plan, passwordHash: hash, now: app.connect.clock.now()).run(on: app.db)
        if DatabaseDialect(app.db) == .postgres {
            // Statistics for the planner after a bulk load (autovacuum would get there later):
            // without them PostgreSQL guessed 11 forum topics of 5,000 and sorted them all per page.
            try await (app.db as! any SQLDatabase).raw("ANALYZE members, topics, posts, read_states, review_items, flags, post_search").run()
        }
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        context.console.success(
            "Seeded \(counts.members) members, \(counts.topics) topics and \(counts.posts) posts in \(String(format: "%.1f", seconds)) s.")
        context.console.print(
            "Demo members log in as demo-\(counts.firstNumber)@example.org … demo-\(counts.firstNumber + counts.members - 1)@example.org with the password \(Self.demoPassword)"
        )
        if try await DemoStudy.ensure(resourcesDirectory: app.connect.config.resourcesDirectory, now: app.connect.clock.now(), on: app.db) {
            context.console.print("Demo study: running, with the demo questionnaire and the standard schedule (see /research/studies).")
        }
        let key = try await demoModerator(app: app, passwordHash: hash)
        context.console.print("Demo moderator: \(Self.moderatorEmail) with the same password and the two-factor key \(key)")
    }

    static let moderatorEmail = "demo-moderator@example.org"

    /// A moderator to try the moderation pages with (and for the moderation benchmark).
    /// Demo data only: the two-factor key is printed so it can be typed into an app.
    private func demoModerator(app: Application, passwordHash: String) async throws -> String {
        if let existing = try await Member.query(on: app.db).filter(\.$email == Self.moderatorEmail).first(),
            let key = existing.totpSecret
        {
            return key
        }
        let now = app.connect.clock.now()
        let moderator = Member(
            email: Self.moderatorEmail, passwordHash: passwordHash, pseudonym: "DemoModerator",
            realName: nil, role: .moderator, locale: nil, createdAt: now)
        moderator.emailVerifiedAt = now
        moderator.totpSecret = TOTP.newSecret()
        moderator.totpEnabledAt = now
        try await moderator.create(on: app.db)
        return moderator.totpSecret ?? ""
    }
}

/// How much demo data to make.
struct DemoPlan: Sendable {
    let members: Int
    let topics: Int
    let posts: Int
    let seed: UInt64
}

/// Writes demo data with a few large statements instead of one per row.
struct DemoSeeder {
    let plan: DemoPlan
    let passwordHash: String
    let now: Date
    static let batchSize = 400

    func run(on database: any Database) async throws -> (members: Int, topics: Int, posts: Int, firstNumber: Int) {
        let topicCount = min(plan.topics, plan.posts)
        let cooker = MarkdownCooker()
        return try await database.transaction { db in
            var text = DemoText(seed: plan.seed)
            let sql = db as! any SQLDatabase
            let dialect = DatabaseDialect(db)
            let offset = try await sql.raw("SELECT COUNT(*) AS n FROM members").first()?.decode(column: "n", as: Int.self) ?? 0

            // Members, joined over the last half year. Names are unique by what they look like
            // ("Calm5-901" and "Calm590-1" are one skeleton), as the members table requires.
            var skeletons = Set(
                try await sql.raw("SELECT pseudonym_skeleton FROM members WHERE pseudonym_skeleton IS NOT NULL").all()
                    .map { try $0.decode(column: "pseudonym_skeleton", as: String.self) })
            var members = [UUID]()
            var memberRows = [[any Encodable & Sendable]]()
            for i in 0..<plan.members {
                let id = UUID()
                members.append(id)
                var pseudonym = "\(text.pseudonym())-\(offset + i + 1)"
                var skeleton = PseudonymRules.skeleton(of: pseudonym)
                while !skeletons.insert(skeleton).inserted {
                    pseudonym = "\(text.pseudonym())-\(offset + i + 1)"
                    skeleton = PseudonymRules.skeleton(of: pseudonym)
                }
                let joined = now.addingTimeInterval(-Double(text.below(180 * 86_400)) - 86_400)
                memberRows.append([
                    id, "demo-\(offset + i + 1)@example.org", joined, passwordHash, pseudonym,
                    Member.key(forPseudonym: pseudonym), skeleton,
                    Role.member.rawValue, "Europe/Amsterdam", joined,
                ])
            }
            try await insert(
                sql, "members",
                [
                    "id", "email", "email_verified_at", "password_hash", "pseudonym", "pseudonym_key",
                    "pseudonym_skeleton", "role", "time_zone", "created_at",
                ], memberRows)

            // Demo members accepted the current terms, privacy policy and rules, as at sign-up.
            let versions = try await PageVersions.currentVersions(of: PageSlug.acceptedAtSignup, on: db)
            var consentRows = [[any Encodable & Sendable]]()
            for (id, row) in zip(members, memberRows) {
                for slug in PageSlug.acceptedAtSignup {
                    consentRows.append([UUID(), id, slug.rawValue, versions[slug] ?? 1, row[2]])
                }
            }
            try await insert(sql, "policy_acceptances", ["id", "member_id", "page_slug", "page_version", "accepted_at"], consentRows)

            let categories = try await sql.raw("SELECT id FROM categories WHERE archived = \(bind: false) ORDER BY position").all()
                .map { try $0.decode(column: "id", as: Int.self) }
            let firstTopic = (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM topics").first()?.decode(column: "n", as: Int.self) ?? 0) + 1
            let firstPost = (try await sql.raw("SELECT COALESCE(MAX(id), 0) AS n FROM posts").first()?.decode(column: "n", as: Int.self) ?? 0) + 1

            // How many posts each topic gets: one each, the rest skewed so some threads run long.
            var postsPerTopic = Array(repeating: 1, count: topicCount)
            for _ in 0..<(plan.posts - topicCount) {
                postsPerTopic[text.below(text.below(topicCount) + 1)] += 1
            }

            var topicRows = [[any Encodable & Sendable]]()
            var postRows = [[any Encodable & Sendable]]()
            var searchRows = [SearchIndex.Entry]()
            var readRows = [[any Encodable & Sendable]]()
            var reviewRows = [[any Encodable & Sendable]]()
            var flagRows = [[any Encodable & Sendable]]()
            var postID = firstPost
            for t in 0..<topicCount {
                let topicID = firstTopic + t
                let dutch = text.dutch()
                let title = text.title(dutch: dutch)
                let author = members[text.below(members.count)]
                // Start early enough that every reply (at most 6 hours apart) is in the past.
                var time = now.addingTimeInterval(-Double(text.below(150 * 86_400)) - Double(postsPerTopic[t]) * 6 * 3_600 - 3_600)
                let created = time
                for number in 1...postsPerTopic[t] {
                    let body = text.body(dutch: dutch)
                    let writer = number == 1 ? author : members[text.below(members.count)]
                    // Most posts were screened, usually within a shift or two; some still wait.
                    let screened = text.below(10) < 8
                    let screenedAt: Date? = screened ? min(now, time.addingTimeInterval(Double(600 + text.below(16 * 3_600)))) : nil
                    let html = cooker.cook(body)
                    postRows.append([
                        postID, topicID, number, writer, body, html, time,
                        screened ? Screening.screened.rawValue : Screening.unscreened.rawValue, screenedAt,
                    ])
                    if !screened && text.below(25) == 0 {
                        // Now and then a member reports a post: the review queue has work too.
                        let item = UUID()
                        reviewRows.append([
                            item, ReviewItem.Kind.flag.rawValue, ReviewItem.Kind.flag.priority, postID, writer,
                            Flag.Reason.disrespectful.rawValue, time.addingTimeInterval(600),
                        ])
                        flagRows.append([
                            UUID(), postID, members[text.below(members.count)], Flag.Reason.disrespectful.rawValue,
                            "", time.addingTimeInterval(600), item,
                        ])
                    }
                    searchRows.append(SearchIndex.Entry(postID: postID, title: number == 1 ? title : "", html: html))
                    postID += 1
                    if number < postsPerTopic[t] { time = time.addingTimeInterval(Double(60 + text.below(6 * 3_600))) }
                }
                topicRows.append([
                    topicID, categories[text.below(categories.count)], author, title, created, time,
                    postsPerTopic[t], postsPerTopic[t] - 1, false, false, true,
                ])
                for reader in Set((0..<min(3, members.count)).map { _ in members[text.below(members.count)] }) {
                    readRows.append([UUID(), reader, topicID, 1 + text.below(postsPerTopic[t]), now])
                }
            }
            try await insert(
                sql, "topics",
                [
                    "id", "category_id", "author_id", "title", "created_at", "last_activity_at",
                    "last_post_number", "reply_count", "pinned", "closed", "visible",
                ], topicRows)
            try await insert(
                sql, "posts", ["id", "topic_id", "number", "author_id", "body_markdown", "body_html", "created_at", "screening", "screened_at"],
                postRows)
            try await insert(sql, "review_items", ["id", "kind", "priority", "post_id", "member_id", "summary", "created_at"], reviewRows)
            // One reporter per seeded item; the unique (post, reporter) index holds since each post has one item.
            try await insert(sql, "flags", ["id", "post_id", "reporter_id", "reason", "note", "created_at", "review_item_id"], flagRows)
            try await insert(sql, "read_states", ["id", "member_id", "topic_id", "last_read_post_number", "updated_at"], readRows)
            try await indexForSearch(db, searchRows)
            if dialect == .postgres {
                // Explicit ids were written; move the identity sequences past them.
                for table in ["topics", "posts"] {
                    try await sql.raw("SELECT setval(pg_get_serial_sequence('\(unsafeRaw: table)', 'id'), (SELECT MAX(id) FROM \(unsafeRaw: table)))")
                        .run()
                }
            }
            return (plan.members, topicCount, plan.posts, offset + 1)
        }
    }

    func insert(_ sql: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
        try await Self.insert(sql, table, columns, rows)
    }

    /// Rows in multi-row INSERTs, as many per statement as stay under SQLite's 32,766 bound
    /// values (the other seeders use it too).
    static func insert(_ sql: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
        let per = max(batchSize, 30_000 / max(1, columns.count))
        for start in stride(from: 0, to: rows.count, by: per) {
            let builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + per, rows.count)] {
                builder.values(row.map { SQLBind($0) })
            }
            try await builder.run()
        }
    }

    /// The posts' search entries, in batches (the index's own bulk insert).
    func indexForSearch(_ database: any Database, _ entries: [SearchIndex.Entry]) async throws {
        let index = SearchIndex(database: database)
        for start in stride(from: 0, to: entries.count, by: Self.batchSize) {
            try await index.insert(Array(entries[start..<min(start + Self.batchSize, entries.count)]))
        }
    }
}
