import Fluent
import SQLKit
import Vapor

/// Publishes scheduled news items when their time comes, and tells the members of every newly
/// published item: one in-app notification each ("news from the team"; by email only for those
/// who chose it, usually in their digest). Members are told a batch at a time (keyset on member
/// id, the item remembers the last one), so a community of any size never holds up the job
/// round, and a restart resumes where it stopped. Acts for nobody.
struct NewsPublishing: Sendable {
    let database: any Database
    let clock: any AppClock
    var batchSize = 500
    /// Batches per round at most; the next round goes on.
    var batchesPerRound = 40

    struct Figures: Sendable, Equatable {
        var published = 0
        var told = 0
    }

    @discardableResult
    func runOnce() async throws -> Figures {
        let now = clock.now()
        var figures = Figures()
        for item in try await NewsQueries.dueForPublication(now: now, on: database) {
            try await database.transaction { db in
                guard let topic = try await Topic.find(item.id, on: db),
                    let post = try await Post.query(on: db).filter(\.$topicID == topic.requireID()).filter(\.$number == 1).first()
                else { return }
                item.published = true
                topic.visible = Guardian.isPublic(post)
                topic.createdAt = item.publishAt ?? now
                topic.lastActivityAt = topic.createdAt
                try await item.save(on: db)
                try await topic.save(on: db)
            }
            figures.published += 1
        }
        var batches = 0
        for item in try await NewsQueries.waitingToBeTold(on: database) {
            while batches < batchesPerRound {
                batches += 1
                let (told, done) = try await tellNextBatch(about: item, now: now)
                figures.told += told
                if done { break }
            }
        }
        return figures
    }

    /// One batch of members hears of the item, and the item remembers how far it got; both in
    /// one transaction. Returns how many were told and whether everyone has been.
    private func tellNextBatch(about item: NewsItem, now: Date) async throws -> (Int, Bool) {
        try await database.transaction { db in
            let members = try await NewsQueries.membersToTell(after: item.fanoutAfter, limit: batchSize, on: db)
            let topicID = try item.requireID()
            let postID = try await NewsQueries.openingPostID(of: topicID, on: db)
            let recipients = members.filter { $0.id != item.createdBy }
            try await Notifier.news(topicID: topicID, postID: postID, to: recipients, on: db, now: now)
            item.fanoutAfter = members.last?.id ?? item.fanoutAfter
            item.fanoutDone = members.count < batchSize
            try await item.save(on: db)
            return (recipients.count, item.fanoutDone)
        }
    }
}
