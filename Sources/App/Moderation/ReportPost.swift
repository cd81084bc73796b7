import Fluent
import SQLKit
import Vapor

/// A member reports a post. Reports of one post gather in one open review item; reports by
/// `Flag.hideThreshold` different members hide the post until a moderator has looked.
struct ReportPost {
    enum Outcome: Equatable {
        case received
        case alreadyReported
    }

    /// The reporter acts.
    let context: ServiceContext

    func run(post: Post, reason: Flag.Reason, note: String) async throws -> Outcome {
        let reporter = context.actor
        let now = context.now
        let reporterID = try reporter.requireID()
        let postID = try post.requireID()
        if try await Flag.query(on: context.db).filter(\.$postID == postID).filter(\.$reporterID == reporterID).first() != nil {
            return .alreadyReported
        }
        try await context.db.transaction { db in
            let item: ReviewItem
            if let open = try await ReviewItem.query(on: db).filter(\.$postID == postID).filter(\.$kind == .flag)
                .filter(\.$resolvedAt == nil).first()
            {
                item = open
            } else {
                item = ReviewItem(kind: .flag, postID: postID, memberID: post.authorID, summary: reason.rawValue, createdAt: now)
                item.priority = ReviewItem.priority(forReport: reason)
                try await item.create(on: db)
            }
            // "I am worried about this person" moves the item up, whoever reported first.
            if ReviewItem.priority(forReport: reason) < item.priority {
                item.priority = ReviewItem.priority(forReport: reason)
                try await item.save(on: db)
            }
            let flag = Flag()
            flag.postID = postID
            flag.reporterID = reporterID
            flag.reason = reason
            flag.note = note
            flag.createdAt = now
            flag.reviewItemID = try item.requireID()
            try await flag.create(on: db)
            let reporters = try await Flag.query(on: db).filter(\.$reviewItemID == item.requireID()).count()
            if reporters >= Flag.hideThreshold && Guardian.isPublic(post) {
                let before = post.screening
                post.screening = .hidden
                post.moderationReason = nil
                try await post.save(on: db)
                if post.number == 1 { try await PostModeration.setTopicVisible(post.topicID, false, on: db) }
                try await SearchIndex(database: db).remove(postID: postID)
                try await AuditEvent(
                    actorID: nil, action: "post.auto_hide", subjectMemberID: post.authorID, detail: "",
                    createdAt: now, target: "post:\(postID)", reason: "flags:\(reporters)",
                    before: before.rawValue, after: Screening.hidden.rawValue
                ).create(on: db)
            }
        }
        return .received
    }
}
