import Fluent
import Testing
import VaporTesting

@testable import App

/// Every new route of news and blogs, for every role, in one table: what each may open.
@Suite("Who may do what in news and blogs", .serialized)
struct CommunityPermissionTests {
    enum Who: String, CaseIterable {
        case visitor, author, otherMember, moderator, editor, admin, researcher
    }

    /// What a request answers: a page, a redirect to log in, a redirect after a form, or refusals.
    enum Answer: Equatable {
        case ok, login, done, forbidden, notFound
    }

    @Test("each role opens what it may, and gets 403, 404 or the login page for the rest")
    func matrix() async throws {
        try await withConnectApp { app in
            var browsers: [Who: TestBrowser] = [.visitor: TestBrowser(app)]
            let (anna, _) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
            browsers[.author] = anna
            browsers[.otherMember] = try await ForumSteps.loggedIn(app).0
            browsers[.moderator] = try await ForumSteps.loggedIn(app, role: .moderator).0
            browsers[.editor] = try await ForumSteps.loggedIn(app, role: .editor).0
            browsers[.admin] = try await ForumSteps.loggedIn(app, role: .admin).0
            browsers[.researcher] = try await ForumSteps.loggedIn(app, role: .researcher).0
            let entry = try await BlogSteps.write(anna, title: "Voor iedereen")
            let journal = try await BlogSteps.write(anna, title: "Voor mij", onlyMe: true)
            let editor = try #require(browsers[.editor])
            let news = try await NewsSteps.write(editor, NewsSteps.fields(title: "Gepubliceerd"))
            let draft = try await NewsSteps.write(editor, NewsSteps.fields(title: "Concept", publish: "draft"))

            let members: Set<Who> = Set(Who.allCases).subtracting([.visitor])
            let editors: Set<Who> = [.editor, .admin]
            // (method, path, form, who may (a page, or for a form the redirect after it), the refusal for other members)
            let routes: [(String, String, [(String, String)], Set<Who>, Answer)] = [
                ("GET", "/blogs", [], members, .forbidden),
                ("GET", "/blogs/new", [], members, .forbidden),
                ("GET", "/blogs/\(entry)", [], members, .forbidden),
                ("GET", "/blogs/\(journal)", [], [.author], .notFound),
                ("GET", "/blogs/\(entry)/edit", [], [.author], .forbidden),
                ("GET", "/blogs/\(journal)/edit", [], [.author], .notFound),
                ("POST", "/blogs/\(entry)/edit", [("title", "Voor iedereen"), ("body", "x"), ("visibility", "members")], [.author], .forbidden),
                ("GET", "/u/Anna/blog", [], members, .forbidden),
                ("GET", "/news", [], Set(Who.allCases), .forbidden),
                ("GET", "/news/\(news)", [], members, .forbidden),
                ("GET", "/news/\(draft)", [], editors, .notFound),
                ("GET", "/news/new", [], editors, .forbidden),
                ("GET", "/news/\(draft)/edit", [], editors, .forbidden),
                ("POST", "/news/\(draft)/edit", NewsSteps.fields(title: "Concept", publish: "draft"), editors, .forbidden),
            ]
            for (method, path, form, allowed, refusal) in routes {
                for who in Who.allCases {
                    let browser = try #require(browsers[who])
                    let response = method == "GET" ? try await browser.get(path) : try await browser.post(path, form)
                    let answer: Answer
                    switch response.status {
                    case .ok: answer = .ok
                    case .seeOther, .found: answer = response.location?.hasPrefix("/login") == true ? .login : .done
                    case .forbidden: answer = .forbidden
                    case .notFound: answer = .notFound
                    default:
                        answer = .ok
                        Issue.record("\(method) \(path) as \(who): \(response.status)")
                    }
                    // Researchers reach the research pages only: every community page refuses them.
                    let expected: Answer =
                        who == .researcher
                        ? .forbidden : allowed.contains(who) ? (method == "POST" ? .done : .ok) : (who == .visitor ? .login : refusal)
                    #expect(answer == expected, "\(method) \(path) as \(who.rawValue)")
                }
            }
            // Nothing was changed by those who may not.
            #expect(try await Topic.find(entry, on: app.db)?.title == "Voor iedereen")
            #expect(try await Topic.find(draft, on: app.db)?.title == "Concept")
        }
    }

    @Test("private messages: participants read and write; others, moderators included, get 404; the team reads reports only")
    func messagesMatrix() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await MessageSteps.ready(app, pseudonym: "Anna")
            let (bram, _) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
            let conversation = try await MessageSteps.start(anna, to: "Bram", body: "Alleen voor Bram")
            _ = try await MessageSteps.send(bram, in: conversation, "Alleen voor Anna")
            let bramsMessage = try #require(try await Message.query(on: app.db).filter(\.$bodyMarkdown == "Alleen voor Anna").first())
            let messageID = try bramsMessage.requireID()
            _ = try await anna.post("/messages/report/\(messageID)", [("reason", "disrespectful")])
            let item = try #require(try await ReviewItem.query(on: app.db).filter(\.$kind == .messageReport).first())
            let (carla, _) = try await ForumSteps.loggedIn(app, pseudonym: "Carla")
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (editor, _) = try await ForumSteps.loggedIn(app, role: .editor)
            let (admin, _) = try await ForumSteps.loggedIn(app, role: .admin)
            let (researcher, _) = try await ForumSteps.loggedIn(app, role: .researcher)
            let visitor = TestBrowser(app)
            let outsiders: [(String, TestBrowser)] = [
                ("other member", carla), ("moderator", moderator), ("editor", editor), ("admin", admin), ("researcher", researcher),
            ]
            let paths = [
                ("GET", "/messages/\(conversation)"), ("POST", "/messages/\(conversation)"), ("POST", "/messages/\(conversation)/leave"),
                ("POST", "/messages/\(conversation)/mute"), ("GET", "/messages/report/\(messageID)"), ("POST", "/messages/report/\(messageID)"),
            ]
            for (method, path) in paths {
                for (who, browser) in outsiders {
                    let response =
                        method == "GET" ? try await browser.get(path) : try await browser.post(path, [("body", "Ik lees mee"), ("reason", "other")])
                    #expect(response.status == (who == "researcher" ? .forbidden : .notFound), "\(method) \(path) as \(who)")
                }
                let answer = method == "GET" ? try await visitor.get(path) : try await visitor.post(path, [("body", "x")])
                #expect(answer.location?.hasPrefix("/login") == true, "\(method) \(path) as a visitor")
            }
            // The reported message: moderators and admins through the queue item; members never.
            let report = "/mod/messages/reports/\(try item.requireID().uuidString)"
            #expect(try await moderator.get(report).status == .ok)
            #expect(try await admin.get(report).status == .ok)
            for browser in [anna, bram, carla, editor, researcher] { #expect(try await browser.get(report).status == .forbidden) }
            // Members' own pages: every member has them; visitors log in first.
            for path in ["/messages", "/settings/messages"] {
                for (who, browser) in outsiders where who != "researcher" { #expect(try await browser.get(path).status == .ok, "\(path)") }
                #expect(try await visitor.get(path).location?.hasPrefix("/login") == true)
            }
            // Nobody wrote anything where they may not.
            #expect(try await Message.query(on: app.db).filter(\.$bodyMarkdown == "Ik lees mee").count() == 0)
        }
    }
}
