import Fluent
import SQLKit
import TextRules
import Vapor

// Topics, replies and edits are published through `Publisher` (Sources/App/Publishing); the
// forum's other write actions live here, in the same shape: a context, one transaction.

/// Removes one's own post: members see "removed by the author"; moderators still see the text.
/// The opening post is removed like any other (the topic stays, its first post a placeholder).
/// The author may undo it for `undoWindow`.
struct RemoveOwnPost {
    let context: ServiceContext

    static let undoWindow: TimeInterval = 10 * 60

    static func undoDeadline(_ removedAt: Date) -> Date { removedAt.addingTimeInterval(undoWindow) }

    func run(post: Post, in topic: Topic) async throws -> Bool {
        guard Guardian.canSee(topic, by: context.actor), Guardian.canRemove(post, by: context.actor) else { return false }
        try await context.transaction { ctx in
            let before = post.screening
            post.removedFrom = before
            post.removedAt = ctx.now
            post.screening = .removed
            try await post.save(on: ctx.db)
            try await PublishWrites(context: ctx, safety: SafetyOutcome()).index(post, title: post.number == 1 ? topic.title : "")
            try await AuditEvent(
                actorID: ctx.actor.id, action: "post.remove_own", subjectMemberID: post.authorID, detail: "",
                createdAt: ctx.now, target: "post:\(try post.requireID())", before: before.rawValue, after: Screening.removed.rawValue
            ).create(on: ctx.db)
        }
        return true
    }
}

/// Brings back a post its author deleted, exactly as it was (its screening state, and in
/// search when it is public again), within `RemoveOwnPost.undoWindow`.
struct UndoRemoveOwnPost {
    enum Outcome {
        case restored
        /// The ten minutes are over (or a moderator acted on it since): the post stays as it is.
        case tooLate
        /// Not the viewer's deleted post.
        case notAllowed
    }

    let context: ServiceContext

    func run(post: Post, in topic: Topic) async throws -> Outcome {
        let member = context.actor
        guard Guardian.canSee(topic, by: member), post.authorID == member.id else { return .notAllowed }
        // Too late also when it is no longer simply deleted (a moderator acted on it meanwhile).
        guard Guardian.canUndoRemove(post, by: member, now: context.now) else { return .tooLate }
        try await context.transaction { ctx in
            let restored = post.removedFrom ?? .unscreened
            post.screening = restored
            post.removedAt = nil
            post.removedFrom = nil
            try await post.save(on: ctx.db)
            // Back in search through the publishing path, which indexes only what is public.
            try await PublishWrites(context: ctx, safety: SafetyOutcome()).index(post, title: post.number == 1 ? topic.title : "")
            try await AuditEvent(
                actorID: member.id, action: "post.restore_own", subjectMemberID: post.authorID, detail: "",
                createdAt: ctx.now, target: "post:\(try post.requireID())", before: Screening.removed.rawValue, after: restored.rawValue
            ).create(on: ctx.db)
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
