import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// Each path `Paths` builds is one its route answers, so a link and its page cannot drift apart.
@Suite("Paths lead to their pages", .serialized)
struct PathsTests {
    /// A topic by Anna with a reply by Bram, loaded as models.
    private struct Scene {
        let anna: TestBrowser, annaMember: Member
        let bram: TestBrowser, bramMember: Member
        let topic: Topic, first: Post, reply: Post, category: Category
    }

    private func scene(_ app: Application) async throws -> Scene {
        let (anna, annaMember) = try await ForumSteps.loggedIn(app, pseudonym: "Anna")
        let (bram, bramMember) = try await ForumSteps.loggedIn(app, pseudonym: "Bram")
        let topicID = try await ForumSteps.startTopic(anna)
        try await ForumSteps.reply(bram, topic: topicID, body: "Ja, dat ken ik. Wat helpt jou overdag?")
        let topic = try #require(try await Topic.find(topicID, on: app.db))
        let category = try #require(try await Category.find(topic.categoryID, on: app.db))
        return Scene(
            anna: anna, annaMember: annaMember, bram: bram, bramMember: bramMember, topic: topic,
            first: try await ForumSteps.post(app, topic: topicID, number: 1),
            reply: try await ForumSteps.post(app, topic: topicID, number: 2), category: category)
    }

    @Test("a post's path opens its topic at the post's anchor, and the topic's paths open the topic")
    func postAndTopic() async throws {
        try await withConnectApp { app in
            let s = try await scene(app)
            for path in [
                Paths.post(s.reply, in: s.topic), Paths.post(s.reply), Paths.postNumber(2, inTopic: try s.topic.requireID()),
                Paths.post(number: 2, in: s.topic),
            ] {
                #expect(path.hasSuffix("#post-2"))
                let page = try await s.anna.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.contains("id=\"post-2\""), "\(path)")
            }
            for path in [Paths.topic(s.topic), Paths.topic(id: try s.topic.requireID()), Paths.topicPage(s.topic, 1)] {
                let page = try await s.anna.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.contains("Slapen lukt niet meer"), "\(path)")
            }
        }
    }

    @Test("a member's pages answer on their paths: reply, quote, edit, report, theme, new topic, profile")
    func memberPages() async throws {
        try await withConnectApp { app in
            let s = try await scene(app)
            let paths = [
                Paths.topicReply(s.topic), Paths.topicReply(s.topic, quoting: s.first), Paths.postEdit(s.first),
                Paths.postReport(s.reply), Paths.category(s.category),
                Paths.category(s.category, after: TopicCursor(lastActivityAt: Date(), id: try s.topic.requireID() + 1)),
                Paths.newTopic(in: s.category), Paths.profile(s.bramMember),
            ]
            for path in paths {
                #expect(try await s.anna.get(path).status == .ok, "\(path)")
            }
            #expect(try await s.anna.get(Paths.topicReply(s.topic, quoting: s.first)).text.contains("&gt; Ik lig elke nacht wakker."))
        }
    }

    @Test("a form sent to its path comes back to the page the path names")
    func formsRedirect() async throws {
        try await withConnectApp { app in
            let s = try await scene(app)
            let watch = try await s.anna.post(Paths.topicWatch(s.topic), [("level", "watching")])
            #expect(watch.status == .seeOther)
            #expect(watch.location == Paths.topic(s.topic))
            let theme = try await s.anna.post(Paths.categoryWatch(s.category), [("level", "watching")])
            #expect(theme.location == Paths.category(s.category))
            let mute = try await s.anna.post(Paths.profileMute(s.bramMember), [("mute", "on")])
            #expect(mute.location == Paths.profile(s.bramMember))
            let report = try await s.anna.post(Paths.postReport(s.reply), [("reason", "disrespectful")])
            #expect(report.location == Paths.post(s.reply, in: s.topic))
            let react = try await s.anna.post(Paths.postReact(s.reply), [("kind", "recognise")])
            #expect(react.location == Paths.post(s.reply, in: s.topic))
        }
    }

    @Test("a moderator's pages answer on their paths: the post, its edit, its history, the member")
    func moderatorPages() async throws {
        try await withConnectApp { app in
            let s = try await scene(app)
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            for path in [
                Paths.modPost(s.reply), Paths.modPost(id: try s.reply.requireID()), Paths.modPostEdit(s.reply),
                Paths.postHistory(s.reply), Paths.modMember(s.bramMember), Paths.modMember(id: try s.bramMember.requireID()),
            ] {
                #expect(try await moderator.get(path).status == .ok, "\(path)")
            }
            let hide = try await moderator.post(Paths.modPost(s.reply), [("_form", "hide"), ("reason", "Persoonlijke aanval")])
            #expect(hide.status == .seeOther)
            #expect(hide.location == Paths.modPost(s.reply))
        }
    }
}
