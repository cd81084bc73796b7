import Fluent
import Foundation
import SQLKit

/// Builds models from SQL rows on hot paths. Fluent decodes a model by reflecting over its
/// properties (Mirror) for every row; on the session lookup and topic pages that was the
/// largest cost after rendering. These read the columns directly and mark the model as
/// stored, so it can still be saved.
extension Member {
    /// The columns `from(row:)` reads, qualified with a table alias.
    static func columns(_ alias: String) -> String {
        [
            "id", "email", "email_verified_at", "password_hash", "pseudonym", "pseudonym_key", "pseudonym_skeleton", "real_name", "role",
            "locale", "time_zone", "created_at", "last_seen_at", "previous_visit_at", "silenced_until", "suspended_until",
            "totp_secret", "totp_enabled_at", "totp_last_counter", "introduction", "intro_prompted_at",
            "pseudonym_changed_at", "pending_email", "closed_at", "leave_choice", "erased_at", "break_until", "break_started_at",
            "responder_since", "care_note_at", "care_note_closed_at", "message_policy", "avatar_colour",
        ]
        .map { "\(alias).\($0) AS \(alias)_\($0)" }.joined(separator: ", ")
    }

    /// The name to show for a member in SQL: empty for someone who left, which views show
    /// as "former member" (see `FormerMember`).
    static func shownName(_ alias: String) -> String {
        "CASE WHEN \(alias).closed_at IS NULL THEN \(alias).pseudonym ELSE '' END"
    }

    static func from(row: any SQLRow, alias: String) throws -> Member {
        func c(_ name: String) -> String { "\(alias)_\(name)" }
        let member = Member()
        member.id = try row.decode(column: c("id"), as: UUID.self)
        member.email = try row.decode(column: c("email"), as: String.self)
        member.emailVerifiedAt = try row.decode(column: c("email_verified_at"), as: Date?.self)
        member.passwordHash = try row.decode(column: c("password_hash"), as: String.self)
        member.pseudonym = try row.decode(column: c("pseudonym"), as: String.self)
        member.pseudonymKey = try row.decode(column: c("pseudonym_key"), as: String.self)
        member.pseudonymSkeleton = try row.decode(column: c("pseudonym_skeleton"), as: String?.self)
        member.realName = try row.decode(column: c("real_name"), as: String?.self)
        member.role = try row.decode(column: c("role"), as: Role.self)
        member.locale = try row.decode(column: c("locale"), as: String?.self).flatMap(AppLocale.init(rawValue:))
        member.timeZone = try row.decode(column: c("time_zone"), as: String.self)
        member.createdAt = try row.decode(column: c("created_at"), as: Date.self)
        member.lastSeenAt = try row.decode(column: c("last_seen_at"), as: Date?.self)
        member.previousVisitAt = try row.decode(column: c("previous_visit_at"), as: Date?.self)
        member.silencedUntil = try row.decode(column: c("silenced_until"), as: Date?.self)
        member.suspendedUntil = try row.decode(column: c("suspended_until"), as: Date?.self)
        member.totpSecret = try row.decode(column: c("totp_secret"), as: String?.self)
        member.totpEnabledAt = try row.decode(column: c("totp_enabled_at"), as: Date?.self)
        member.totpLastCounter = try row.decode(column: c("totp_last_counter"), as: Int64?.self)
        member.introduction = try row.decode(column: c("introduction"), as: String?.self)
        member.introPromptedAt = try row.decode(column: c("intro_prompted_at"), as: Date?.self)
        member.pseudonymChangedAt = try row.decode(column: c("pseudonym_changed_at"), as: Date?.self)
        member.pendingEmail = try row.decode(column: c("pending_email"), as: String?.self)
        member.closedAt = try row.decode(column: c("closed_at"), as: Date?.self)
        member.leaveChoice = try row.decode(column: c("leave_choice"), as: String?.self).flatMap(LeaveChoice.init(rawValue:))
        member.erasedAt = try row.decode(column: c("erased_at"), as: Date?.self)
        member.breakUntil = try row.decode(column: c("break_until"), as: Date?.self)
        member.breakStartedAt = try row.decode(column: c("break_started_at"), as: Date?.self)
        member.responderSince = try row.decode(column: c("responder_since"), as: Date?.self)
        member.careNoteAt = try row.decode(column: c("care_note_at"), as: Date?.self)
        member.careNoteClosedAt = try row.decode(column: c("care_note_closed_at"), as: Date?.self)
        member.messagePolicy = try row.decode(column: c("message_policy"), as: MessagePolicy.self)
        member.avatarColour = try row.decode(column: c("avatar_colour"), as: String?.self)
        member.$id.exists = true
        return member
    }
}

extension Post {
    static func columns(_ alias: String) -> String {
        [
            "id", "topic_id", "number", "author_id", "body_markdown", "body_html", "created_at", "edited_at", "screening",
            "screened_at", "screened_by", "moderation_reason", "moderator_edited_at", "removed_at", "removed_from",
        ]
        .map { "\(alias).\($0) AS \(alias)_\($0)" }.joined(separator: ", ")
    }

    static func from(row: any SQLRow, alias: String) throws -> Post {
        func c(_ name: String) -> String { "\(alias)_\(name)" }
        let post = Post()
        post.id = try row.decode(column: c("id"), as: Int.self)
        post.topicID = try row.decode(column: c("topic_id"), as: Int.self)
        post.number = try row.decode(column: c("number"), as: Int.self)
        post.authorID = try row.decode(column: c("author_id"), as: UUID.self)
        post.bodyMarkdown = try row.decode(column: c("body_markdown"), as: String.self)
        post.bodyHTML = try row.decode(column: c("body_html"), as: String.self)
        post.createdAt = try row.decode(column: c("created_at"), as: Date.self)
        post.editedAt = try row.decode(column: c("edited_at"), as: Date?.self)
        post.screening = try row.decode(column: c("screening"), as: Screening.self)
        post.screenedAt = try row.decode(column: c("screened_at"), as: Date?.self)
        post.screenedBy = try row.decode(column: c("screened_by"), as: UUID?.self)
        post.moderationReason = try row.decode(column: c("moderation_reason"), as: String?.self)
        post.moderatorEditedAt = try row.decode(column: c("moderator_edited_at"), as: Date?.self)
        post.removedAt = try row.decode(column: c("removed_at"), as: Date?.self)
        post.removedFrom = try row.decode(column: c("removed_from"), as: String?.self).flatMap(Screening.init(rawValue:))
        post.$id.exists = true
        return post
    }
}

extension Topic {
    static func columns(_ alias: String) -> String {
        [
            "id", "category_id", "author_id", "title", "created_at", "last_activity_at", "last_post_number", "reply_count",
            "pinned", "closed", "visible", "kind",
        ]
        .map { "\(alias).\($0) AS \(alias)_\($0)" }.joined(separator: ", ")
    }

    static func from(row: any SQLRow, alias: String) throws -> Topic {
        func c(_ name: String) -> String { "\(alias)_\(name)" }
        let topic = Topic()
        topic.id = try row.decode(column: c("id"), as: Int.self)
        topic.categoryID = try row.decode(column: c("category_id"), as: Int.self)
        topic.authorID = try row.decode(column: c("author_id"), as: UUID.self)
        topic.title = try row.decode(column: c("title"), as: String.self)
        topic.createdAt = try row.decode(column: c("created_at"), as: Date.self)
        topic.lastActivityAt = try row.decode(column: c("last_activity_at"), as: Date.self)
        topic.lastPostNumber = try row.decode(column: c("last_post_number"), as: Int.self)
        topic.replyCount = try row.decode(column: c("reply_count"), as: Int.self)
        topic.pinned = try row.decode(column: c("pinned"), as: Bool.self)
        topic.closed = try row.decode(column: c("closed"), as: Bool.self)
        topic.visible = try row.decode(column: c("visible"), as: Bool.self)
        topic.kind = try row.decode(column: c("kind"), as: TopicKind.self)
        topic.$id.exists = true
        return topic
    }
}

extension Category {
    static func columns(_ alias: String) -> String {
        ["id", "slug", "position", "name_nl", "name_en", "description_nl", "description_en", "archived", "created_at", "internal"]
            .map { "\(alias).\($0) AS \(alias)_\($0)" }.joined(separator: ", ")
    }

    static func from(row: any SQLRow, alias: String) throws -> Category {
        func c(_ name: String) -> String { "\(alias)_\(name)" }
        let category = Category()
        category.id = try row.decode(column: c("id"), as: Int.self)
        category.slug = try row.decode(column: c("slug"), as: String.self)
        category.position = try row.decode(column: c("position"), as: Int.self)
        category.nameNL = try row.decode(column: c("name_nl"), as: String.self)
        category.nameEN = try row.decode(column: c("name_en"), as: String.self)
        category.descriptionNL = try row.decode(column: c("description_nl"), as: String.self)
        category.descriptionEN = try row.decode(column: c("description_en"), as: String.self)
        category.archived = try row.decode(column: c("archived"), as: Bool.self)
        category.createdAt = try row.decode(column: c("created_at"), as: Date.self)
        category.isInternal = try row.decode(column: c("internal"), as: Bool.self)
        category.$id.exists = true
        return category
    }

    /// Themes in list order, read without model reflection (every list page needs them). The
    /// internal categories that hold news and blog entries are never themes.
    static func ordered(includingArchived: Bool = false, on db: any Database) async throws -> [Category] {
        let rows = try await (db as! any SQLDatabase).raw(
            """
            SELECT \(unsafeRaw: columns("c")) FROM categories c WHERE c.internal = \(bind: false) ORDER BY c.position, c.id
            """
        ).all()
        return try rows.compactMap { row in
            let category = try from(row: row, alias: "c")
            return includingArchived || !category.archived ? category : nil
        }
    }
}

/// A stored value the code does not know (a screening state, a role, a kind): an error, never
/// a silent fallback. Reading an unknown screening state as "unscreened" would publish it.
struct UnknownStoredValue: Error, CustomStringConvertible {
    let column: String
    let value: String
    var description: String { "unknown value '\(value)' in column \(column)" }
}

extension SQLRow {
    /// Decodes a stored enum by its raw value; an unknown value throws.
    func decode<E: RawRepresentable>(column: String, as type: E.Type) throws -> E where E.RawValue == String {
        let raw = try decode(column: column, as: String.self)
        guard let value = E(rawValue: raw) else { throw UnknownStoredValue(column: column, value: raw) }
        return value
    }
}
