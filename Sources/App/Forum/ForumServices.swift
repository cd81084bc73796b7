import Fluent
import SQLKit
import TextRules
import Vapor

// Topics, replies and edits are published through `Publisher` (Sources/App/Publishing); the
// forum's other write actions live here, in the same shape: a context, one transaction.

/// Removes one's own post: members see "removed by the author"; moderators still see the text.
struct RemoveOwnPost {
    let context: ServiceContext

    /// How long a member can take a deletion back.
    static let undoWindow: TimeInterval = 10 * 60

    func run(post: Post, in topic: Topic) async throws -> Bool {
        guard Guardian.canSee(topic, by: context.actor), Guardian.canRemove(post, by: context.actor) else { return false }
        let now = context.now
        try await context.transaction { ctx in
            post.removedFrom = post.screening
            post.removedAt = now
            post.screening = .removed
            try await post.save(on: ctx.db)
            try await SearchIndex(database: ctx.db).remove(postID: post.requireID())
        }
        return true
    }
}

/// A member takes back the deletion of their own post within `RemoveOwnPost.undoWindow`: the
/// post comes back as it was (screened, or still waiting for screening) and is found again.
struct UndoRemoveOwnPost {
    let context: ServiceContext

    enum Outcome: Sendable, Equatable {
        case restored
        case tooLate
        case notAllowed
    }

    func run(post: Post, in topic: Topic) async throws -> Outcome {
        guard Guardian.canSee(topic, by: context.actor), Guardian.canUndoRemoval(of: post, by: context.actor) else { return .notAllowed }
        guard Guardian.mayStillUndoRemoval(of: post, now: context.now) else { return .tooLate }
        try await context.transaction { ctx in
            post.screening = post.removedFrom ?? .unscreened
            post.removedFrom = nil
            post.removedAt = nil
            try await post.save(on: ctx.db)
            if Guardian.isPublic(post) {
                try await SearchIndex(database: ctx.db).index(post, title: post.number == 1 ? topic.title : "")
            }
        }
        return .restored
    }
}

/// Toggles a reaction on someone else's post.
struct ToggleReaction {
    let context: ServiceContext

    func run(post: Post, in topic: Topic, kind: Reaction.Kind) async throws -> Bool {
        let member = context.actor
        guard Guardian.canSee(topic, by: member), Guardian.canReact(to: post, by: member),
            Guardian.canWrite(member, now: context.now)
        else { return false }
        let memberID = try member.requireID()
        let postID = try post.requireID()
        let now = context.now
        try await context.transaction { ctx in
            let db = ctx.db
            if let existing = try await Reaction.query(on: db).filter(\.$postID == postID).filter(\.$memberID == memberID)
                .filter(\.$kind == kind).first()
            {
                try await existing.delete(on: db)
            } else {
                try await Reaction(postID: postID, memberID: memberID, kind: kind, createdAt: now).create(on: db)
                try await Notifier.reacted(to: post, by: memberID, on: db, now: now)
                try await ParticipationEvent(
                    memberID: memberID, kind: .react, topicID: post.topicID, postID: postID,
                    otherMemberID: post.authorID, createdAt: now
                ).create(on: db)
            }
        }
        return true
    }
}
