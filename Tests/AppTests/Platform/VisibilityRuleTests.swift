import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Each of Guardian's visibility rules exists twice, in Swift and as the SQL fragment that
/// queries use. Both forms run over the same table of cases (every screening state, listed and
/// unlisted topics, authors present, gone, and gone with their text withdrawn), and must agree.
@Suite("Visibility rules agree in Swift and SQL", .serialized)
struct VisibilityRuleTests {
    private struct Case {
        let post: Post
        let topic: Topic
        let author: Member
    }

    @Test("isPublic, isListed, hasWithdrawnText, canSee and isFindable give the same answers in both forms, for every kind of topic")
    func bothForms() async throws {
        try await withConnectApp { app in
            let now = app.connect.clock.now()
            let category = try await ForumSteps.firstCategory(app)
            var authors: [Member] = []
            for leave in [nil, LeaveChoice.keepPosts, LeaveChoice.removeText] {
                let author = try await Fixtures.member(app)
                if let leave {
                    author.closedAt = now
                    author.leaveChoice = leave
                    try await author.save(on: app.db)
                }
                authors.append(author)
            }
            var cases: [Case] = []
            for author in authors {
                for (listed, kind) in [true, false].flatMap({ listed in TopicKind.allCases.map { (listed, $0) } }) {
                    let topic = Topic(kind: kind)
                    topic.categoryID = try category.requireID()
                    topic.authorID = try author.requireID()
                    topic.title = "Geval"
                    topic.createdAt = now
                    topic.lastActivityAt = now
                    topic.lastPostNumber = Screening.allCases.count
                    topic.replyCount = 0
                    topic.pinned = false
                    topic.closed = false
                    topic.visible = listed
                    try await topic.create(on: app.db)
                    for (number, screening) in Screening.allCases.enumerated() {
                        let post = try await ForumQueries.insertPost(
                            topicID: topic.requireID(), number: number + 1, authorID: author.requireID(),
                            markdown: "x", html: "<p>x</p>", screening: screening, now: now, on: app.db)
                        cases.append(Case(post: post, topic: topic, author: author))
                    }
                }
            }
            let moderator = try await Fixtures.member(app, role: .moderator)
            let editor = try await Fixtures.member(app, role: .editor)
            let stranger = try await Fixtures.member(app)
            let sql = app.db as! any SQLDatabase

            func ids(where condition: SQLQueryString) async throws -> Set<Int> {
                Set(
                    try await sql.raw(
                        """
                        SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id JOIN members a ON a.id = p.author_id WHERE \(condition)
                        """
                    ).all().map { try $0.decode(column: "id", as: Int.self) })
            }
            func expected(_ rule: (Case) -> Bool) -> Set<Int> { Set(cases.filter(rule).compactMap(\.post.id)) }

            // Each rule must split the table (some cases in, some out), or the comparison proves little.
            let pairs: [(String, SQLQueryString, (Case) -> Bool)] = [
                ("isPublic", Guardian.isPublicSQL(post: "p"), { Guardian.isPublic($0.post) }),
                ("isListed", Guardian.isListedSQL(topic: "t"), { Guardian.isListed($0.topic) }),
                ("hasWithdrawnText", Guardian.hasWithdrawnTextSQL(member: "a"), { Guardian.hasWithdrawnText($0.author) }),
                (
                    "isFindable", Guardian.isFindableSQL(post: "p", topic: "t", author: "a"),
                    { Guardian.isFindable($0.post, in: $0.topic, by: $0.author) }
                ),
                ("canSee (stranger)", Guardian.canSeeSQL(topic: "t", by: stranger), { Guardian.canSee($0.topic, by: stranger) }),
                ("canSee (author)", Guardian.canSeeSQL(topic: "t", by: authors[0]), { Guardian.canSee($0.topic, by: authors[0]) }),
                ("canSee (moderator)", Guardian.canSeeSQL(topic: "t", by: moderator), { Guardian.canSee($0.topic, by: moderator) }),
                ("canSee (editor)", Guardian.canSeeSQL(topic: "t", by: editor), { Guardian.canSee($0.topic, by: editor) }),
                ("isListedInForum", Guardian.isListedInForumSQL(topic: "t"), { Guardian.isListedInForum($0.topic) }),
                ("canModerateText", Guardian.canModerateTextSQL(topic: "t"), { Guardian.canModerateText(in: $0.topic) }),
            ]
            for (name, condition, rule) in pairs {
                let fromSQL = try await ids(where: condition)
                let fromSwift = expected(rule)
                #expect(fromSQL == fromSwift, "\(name): SQL and Swift disagree")
                #expect(!fromSwift.isEmpty && fromSwift.count < cases.count, "\(name) does not split the cases")
            }
            // The moderator sees every topic page but private journal entries and unpublished news; a
            // stranger only listed ones (never drafts or journals); the author also their own.
            let seenByModerator = try await ids(where: Guardian.canSeeSQL(topic: "t", by: moderator))
            #expect(seenByModerator == expected { $0.topic.kind != .journal && ($0.topic.kind != .news || $0.topic.visible) })
            let seenByEditor = try await ids(where: Guardian.canSeeSQL(topic: "t", by: editor))
            #expect(seenByEditor.isSuperset(of: expected { $0.topic.kind == .news }))
            #expect(seenByEditor.isDisjoint(with: expected { $0.topic.kind == .journal }))
            let seenByStranger = try await ids(where: Guardian.canSeeSQL(topic: "t", by: stranger))
            #expect(seenByStranger == expected { $0.topic.visible && $0.topic.kind != .journal })
        }
    }

    @Test("a stored state the code does not know is an error, not a public post")
    func unknownScreening() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            try await (app.db as! any SQLDatabase).raw("UPDATE posts SET screening = 'mystery' WHERE topic_id = \(bind: topic)").run()
            let page = try await anna.get("/t/\(topic)")
            #expect(page.status.code >= 400)
            #expect(!page.text.contains("Ik lig elke nacht wakker"))
        }
    }
}
