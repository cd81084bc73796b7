import Fluent
import Vapor

/// How closely a member follows a topic or a theme.
enum WatchLevel: String, Codable, Sendable, CaseIterable {
    /// Every new post.
    case watching
    /// Only what concerns me (the default when there is no row).
    case normal
    /// Nothing, and hidden from my lists.
    case muted
}

final class TopicWatch: Model, @unchecked Sendable {
    static let schema = "topic_watches"

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "topic_id") var topicID: Int
    @Field(key: "level") var level: WatchLevel

    init() {}
    init(memberID: UUID, topicID: Int, level: WatchLevel) {
        self.memberID = memberID
        self.topicID = topicID
        self.level = level
    }
}

final class CategoryWatch: Model, @unchecked Sendable {
    static let schema = "category_watches"

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "category_id") var categoryID: Int
    @Field(key: "level") var level: WatchLevel

    init() {}
    init(memberID: UUID, categoryID: Int, level: WatchLevel) {
        self.memberID = memberID
        self.categoryID = categoryID
        self.level = level
    }
}

/// A member someone chose not to hear from: their posts are collapsed for that person, and
/// they cause no notifications. They are not told.
final class MemberMute: Model, @unchecked Sendable {
    static let schema = "member_mutes"

    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "muted_id") var mutedID: UUID
    @Field(key: "created_at") var createdAt: Date

    init() {}
    init(memberID: UUID, mutedID: UUID, now: Date) {
        self.memberID = memberID
        self.mutedID = mutedID
        self.createdAt = now
    }
}

/// Reading and setting watch levels.
enum Watching {
    static func level(of memberID: UUID, topic topicID: Int, on db: any Database) async throws -> WatchLevel {
        try await TopicWatch.query(on: db).filter(\.$memberID == memberID).filter(\.$topicID == topicID).first()?.level ?? .normal
    }

    static func level(of memberID: UUID, category categoryID: Int, on db: any Database) async throws -> WatchLevel {
        try await CategoryWatch.query(on: db).filter(\.$memberID == memberID).filter(\.$categoryID == categoryID).first()?.level ?? .normal
    }

    /// "Normal" is stored as no row.
    static func set(_ level: WatchLevel, for memberID: UUID, topic topicID: Int, on db: any Database) async throws {
        try await TopicWatch.query(on: db).filter(\.$memberID == memberID).filter(\.$topicID == topicID).delete()
        if level != .normal { try await TopicWatch(memberID: memberID, topicID: topicID, level: level).create(on: db) }
    }

    static func set(_ level: WatchLevel, for memberID: UUID, category categoryID: Int, on db: any Database) async throws {
        try await CategoryWatch.query(on: db).filter(\.$memberID == memberID).filter(\.$categoryID == categoryID).delete()
        if level != .normal { try await CategoryWatch(memberID: memberID, categoryID: categoryID, level: level).create(on: db) }
    }
}
