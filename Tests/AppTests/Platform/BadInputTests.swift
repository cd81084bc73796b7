import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Input meant to hurt, or a paste that went wrong: a kind answer, and nothing typed is lost.
@Suite("Bad input loses nothing and fills nothing", .serialized)
struct BadInputTests {
    @Test("a paste over the request limit comes back in the form with an error and as much of the text as fits")
    func oversizedPaste() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let topic = try await ForumSteps.startTopic(anna)
            // 300 KiB of text that starts with words the member will recognise, and ends in a
            // character of several bytes, so the cut falls inside an escape.
            let start = "Dit wilde ik al lang vertellen. "
            let body = start + String(repeating: "Ik ben moe, zó moe. ", count: 16_000) + "😔"
            #expect(body.utf8.count > 256 * 1024)
            let response = try await anna.post("/t/\(topic)/reply", [("body", body)])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("reply-form"))
            #expect(response.text.contains(start))
            #expect(response.text.contains("body-error"))
            // The member is told that only the beginning arrived, not just that it is too long.
            #expect(response.text.contains("te lang om in zijn geheel aan te komen"))
            #expect(try await Post.query(on: app.db).count() == 1)
        }
    }

    @Test("deeply nested brackets in a post, a reply, an edit and a preview are answered, not a crash")
    func nestedBrackets() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            let hostile = String(repeating: "[", count: 9_000) + "x" + String(repeating: "]", count: 9_000)
            let opening = String(repeating: "[", count: 19_000)
            let topic = try await ForumSteps.startTopic(anna, body: hostile)
            let preview = try await anna.post("/t/\(topic)/reply", [("body", opening), ("preview", "1")])
            #expect(preview.status == .ok)
            #expect(preview.text.contains("preview-heading"))
            try await ForumSteps.reply(anna, topic: topic, body: opening)
            let first = try await ForumSteps.post(app, topic: topic, number: 1)
            let edit = try await anna.post("/p/\(try first.requireID())/edit", [("title", "Slapen lukt niet meer"), ("body", hostile + " bewerkt")])
            #expect(edit.status == .seeOther)
            #expect(try await anna.get("/t/\(topic)").status == .ok)
            #expect(try await Post.query(on: app.db).count() == 2)
        }
    }

    @Test("forms rescued for visitors are limited per address and in size, so nobody can fill the disk")
    func rescueLimits() async throws {
        try await withConnectApp { app in
            let visitor = TestBrowser(app)
            _ = try await visitor.get("/login")  // the CSRF cookie
            let long = String(repeating: "x", count: 200_000)
            for _ in 0..<30 {
                let response = try await visitor.post("/t/new", [("title", "Titel"), ("body", long), ("category", "living-with-depression")])
                #expect(response.status == .seeOther)
            }
            let stored = try await RescuedForm.query(on: app.db).all()
            #expect(stored.count == app.connect.config.rateLimits.rescuesPerIP.limit)
            #expect(stored.allSatisfy { $0.fieldsJSON.utf8.count < PostForm.bodyLimit + 1_000 })
        }
    }

    @Test("the current password cannot be guessed from an open session: email, password and leave share one limit")
    func currentPasswordGuessing() async throws {
        try await withConnectApp { app in
            let (anna, member) = try await ForumSteps.loggedIn(app)
            let limit = app.connect.config.rateLimits.currentPasswordPerMember.limit
            for attempt in 0..<limit {
                let path = attempt % 2 == 0 ? "/settings/email" : "/settings/password"
                let fields =
                    attempt % 2 == 0
                    ? [("new_email", "nieuw@example.org"), ("email_password", "fout-\(attempt)")]
                    : [
                        ("current_password", "fout-\(attempt)"), ("password", "Another-Calm-Harbour-9"),
                        ("password_confirm", "Another-Calm-Harbour-9"),
                    ]
                #expect(try await anna.post(path, fields).status == .unprocessableEntity)
            }
            let right = try await anna.post(
                "/settings/password",
                [
                    ("current_password", goodPassword), ("password", "Another-Calm-Harbour-9"),
                    ("password_confirm", "Another-Calm-Harbour-9"),
                ])
            #expect(right.status == .tooManyRequests)
            #expect(try await Member.find(member.id, on: app.db)?.passwordHash == member.passwordHash)
            #expect(try await anna.post("/settings/leave", [("choice", "keep_posts"), ("password", goodPassword)]).status == .tooManyRequests)
        }
    }
}
