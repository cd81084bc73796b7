import Fluent
import SQLKit
import Vapor

/// After the grace period, erases for good the personal data of members who left: email,
/// real name, introduction, safety plan, pseudonym and sign-in secrets. What they wrote stays
/// under "former member" or loses its text, as they chose. The audit log refers to members by
/// internal id only, so it keeps nothing else of them. Their blog and private journal go.
struct AccountErasure: Sendable {
    let database: any Database
    let clock: any AppClock

    /// Erases every account whose grace period has ended; returns how many.
    @discardableResult
    func run() async throws -> Int {
        let cutoff = clock.now().addingTimeInterval(-LeaveAccount.gracePeriod)
        let due = try await Member.query(on: database)
            .filter(\.$closedAt != nil).filter(\.$closedAt <= cutoff).filter(\.$erasedAt == nil)
            .limit(100).all()
        for member in due { try await erase(member) }
        return due.count
    }

    private func erase(_ member: Member) async throws {
        let id = try member.requireID()
        let now = clock.now()
        let tag = id.uuidString.lowercased()
        try await database.transaction { db in
            let sql = db as! any SQLDatabase
            if member.leaveChoice == .removeText {
                let postIDs = try await Post.query(on: db).filter(\.$authorID == id).all(\.$id)
                for postID in postIDs { try await SearchIndex(database: db).remove(postID: postID) }
                try await sql.raw("DELETE FROM post_revisions WHERE post_id IN (SELECT id FROM posts WHERE author_id = \(bind: id))").run()
                try await sql.raw("UPDATE posts SET body_markdown = '', body_html = '' WHERE author_id = \(bind: id)").run()
            }
            // Their blog goes, private journal included, with the comments written on it.
            let blogKinds = [TopicKind.blog.rawValue, TopicKind.journal.rawValue]
            for row in try await sql.raw(
                """
                SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.author_id = \(bind: id) AND t.kind IN (\(binds: blogKinds))
                """
            ).all() {
                try await SearchIndex(database: db).remove(postID: try row.decode(column: "id", as: Int.self))
            }
            try await sql.raw("DELETE FROM topics WHERE author_id = \(bind: id) AND kind IN (\(binds: blogKinds))").run()
            // Their private messages lose their text; the others keep their own, and the name
            // shows as "former member". Their blocks go with them.
            try await sql.raw("UPDATE messages SET body_markdown = '', body_html = '' WHERE author_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM message_blocks WHERE member_id = \(bind: id) OR blocked_id = \(bind: id)").run()
            try await OutboxMail.query(on: db).filter(\.$recipient == member.email).delete()
            // The address and name go; the row stays so posts, reactions and the audit log keep pointing somewhere.
            member.email = "erased-\(tag)@invalid"
            member.pendingEmail = nil
            member.realName = nil
            member.introduction = nil
            member.pseudonym = "former-\(tag.prefix(8))"
            member.pseudonymKey = "~erased-\(tag)"
            member.pseudonymSkeleton = member.pseudonymKey
            member.passwordHash = "!erased"
            member.totpSecret = nil
            member.totpEnabledAt = nil
            member.erasedAt = now
            try await member.save(on: db)
            try await SafetyPlan.query(on: db).filter(\.$memberID == id).delete()
            try await RecoveryCode.query(on: db).filter(\.$memberID == id).delete()
            try await ReservedPseudonym.query(on: db).filter(\.$memberID == id).delete()
            try await DataExport.query(on: db).filter(\.$memberID == id).delete()
            try await MemberSession.query(on: db).filter(\.$member.$id == id).delete()
            try await AccountToken.query(on: db).filter(\.$member.$id == id).delete()
            try await AuditEvent(actorID: nil, action: "member.erase", subjectMemberID: id, detail: "", createdAt: now).create(on: db)
        }
    }
}
