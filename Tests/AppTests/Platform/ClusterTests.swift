import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// Two nodes on one database: what one does, the other shows at once.
@Suite("Several nodes on one database")
struct ClusterTests {
    /// Runs `test` with two apps on the same database, both listening for each other's signals.
    /// On SQLite (one process by design) the second app shares the file, but signals stay local.
    private func withTwoNodes(_ test: (Application, Application) async throws -> Void) async throws {
        try await withConnectApp(runtime: { $0.listensToCluster = true }) { a in
            let config = a.connect.config
            try await withConnectApp(
                adjust: { adjusted in
                    adjusted.dataDirectory = config.dataDirectory
                    adjusted.databaseSchema = config.databaseSchema
                }, runtime: { $0.listensToCluster = true }, keepsDatabase: true
            ) { b in
                if testPostgresURL != nil {
                    try await Self.until("both listeners connect") {
                        a.connect.cluster.listenerConnections.withLockedValue { $0 } > 0
                            && b.connect.cluster.listenerConnections.withLockedValue { $0 } > 0
                    }
                }
                try await test(a, b)
            }
        }
    }

    @Test("a reply wakes the live streams watching its topic at once: on its own node, and on the other node through PostgreSQL")
    func replyWakesStreams() async throws {
        try await withTwoNodes { a, b in
            let (anna, _) = try await ForumSteps.loggedIn(a)
            let topic = try await ForumSteps.startTopic(anna)
            // The other node on PostgreSQL; on SQLite the same node.
            let watcher = testPostgresURL != nil ? b : a
            let elsewhere = Task { await Self.timedWait(watcher, keys: ["t:\(topic + 1_000)"], upTo: 1.5) }
            let waiting = Task { await Self.timedWait(watcher, keys: ["t:\(topic)"], upTo: 20) }
            try await Self.until("both streams wait") { watcher.connect.cluster.live.waiting == 2 }
            let started = ContinuousClock.now
            try await ForumSteps.reply(anna, topic: topic, body: "Ik herken het, jij bent niet de enige.")
            let replied = ContinuousClock.now
            let woke = await waiting.value
            // Woken by the reply (not by the 20 s fallback), within a second of its answer.
            #expect(woke.at > started && woke.at < replied + .seconds(1), "woken \(woke.at - replied) after the reply's answer")
            #expect(await elsewhere.value.seconds >= 1.4, "a stream on another topic sleeps on")
        }
    }

    @Test("a logout on one node closes the session on the other node's very next page (PostgreSQL); a dropped listener reconnects")
    func logoutCrossesNodes() async throws {
        try await withTwoNodes { a, b in
            let (anna, _) = try await ForumSteps.loggedIn(a)
            let cookie = try #require(anna.cookies[SessionAuthenticator.cookieName])
            let onB = TestBrowser(b)
            onB.setCookie(SessionAuthenticator.cookieName, cookie)
            #expect(try await onB.get("/settings").status == .ok)
            #expect(try await onB.get("/settings").status == .ok)
            #expect(b.connect.sessionCache.count >= 1, "B keeps the session")
            _ = try await anna.post("/logout", [])
            if testPostgresURL != nil {
                // The manual clock stands still: only A's signal can empty B's cache.
                try await Self.until("B forgets the session") { b.connect.sessionCache.count == 0 }
                #expect(try await onB.get("/settings").status == .seeOther)

                // The listener's connection is cut: it comes back, and signals flow again.
                let channel = b.connect.cluster.channel
                try await (a.db as! any SQLDatabase).raw(
                    """
                    SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
                    WHERE pid <> pg_backend_pid() AND query ILIKE \(bind: "%LISTEN%\(channel)%")
                    """
                ).run()
                try await Self.until("B's listener reconnects") { b.connect.cluster.listenerConnections.withLockedValue { $0 } >= 2 }
                let (bram, _) = try await ForumSteps.loggedIn(a)
                let topic = try await ForumSteps.startTopic(bram)
                let waiting = Task { await Self.timedWait(b, keys: ["t:\(topic)"], upTo: 20) }
                try await Self.until("B's stream waits") { b.connect.cluster.live.waiting == 1 }
                try await ForumSteps.reply(bram, topic: topic, body: "Nog steeds verbonden na de onderbreking.")
                let replied = ContinuousClock.now
                #expect(await waiting.value.at < replied + .seconds(1))
            } else {
                #expect(try await TestBrowser(a).get("/settings").status == .seeOther)
            }
        }
    }

    /// When the wait ended, and how long it lasted.
    static func timedWait(_ app: Application, keys: Set<String>, upTo seconds: TimeInterval) async -> (at: ContinuousClock.Instant, seconds: Double) {
        let start = ContinuousClock.now
        await app.connect.cluster.live.wait(for: keys, upTo: seconds)
        let end = ContinuousClock.now
        let elapsed = (end - start).components
        return (end, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }

    /// Waits (up to 10 s of real time) for something another connection does.
    static func until(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<1_000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting until \(what)")
    }
}
