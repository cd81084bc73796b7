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
                    let expected: Answer = allowed.contains(who) ? (method == "POST" ? .done : .ok) : (who == .visitor ? .login : refusal)
                    #expect(answer == expected, "\(method) \(path) as \(who.rawValue)")
                }
            }
            // Nothing was changed by those who may not.
            #expect(try await Topic.find(entry, on: app.db)?.title == "Voor iedereen")
            #expect(try await Topic.find(draft, on: app.db)?.title == "Concept")
        }
    }
}
