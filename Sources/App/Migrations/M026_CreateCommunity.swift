import Fluent
import Foundation
import SQLKit

/// News and publications, member blogs: both are topics of their own kind, so their comments are
/// posts (screened, scanned, reportable, moderated and searched as forum posts are). A news item
/// adds its metadata in `news_items`; a blog entry needs nothing beyond its topic. Also: who
/// follows whose blog, and the email choices for team news and private messages.
///
/// Topics of the new kinds belong to an internal category ("news", "blogs"): the forum's
/// column stays required, and internal categories never show in the forum's lists.
struct M026_CreateCommunity: AsyncMigration {
    var name: String { "M026_CreateCommunity" }
    let now: @Sendable () -> Date

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
        try await database.schema("topics").field("kind", .string, .required, .sql(.default("forum"))).update()
        try await database.schema("categories").field("internal", .bool, .required, .sql(.default(false))).update()
        try await database.schema("notification_preferences").field("email_news", .string, .required, .sql(.default("never"))).update()
        try await database.schema("notification_preferences").field("email_messages", .string, .required, .sql(.default("never"))).update()
        // The blogs list and a member's blog read topics of one kind, newest first.
        try await sql.create(index: "ix_topics_kind_created").on("topics").column("kind").column("created_at").column("id").run()

        let position = (try await sql.raw("SELECT COALESCE(MAX(position), 0) AS n FROM categories").first()?.decode(column: "n", as: Int.self)) ?? 0
        for (offset, category) in InternalCategory.allCases.enumerated() {
            try await sql.insert(into: "categories")
                .columns("slug", "position", "name_nl", "name_en", "description_nl", "description_en", "archived", "internal", "created_at")
                .values(
                    SQLBind(category.rawValue), SQLBind(position + 100 + offset), SQLBind(category.nameNL), SQLBind(category.nameEN),
                    SQLBind(""), SQLBind(""), SQLBind(true), SQLBind(true), SQLBind(now())
                )
                .run()
        }

        try await database.schema("news_items")
            .field("topic_id", .int, .identifier(auto: false), .references("topics", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("language", .string, .required)
            .field("summary", .string, .required)
            // The English text of an item written in both languages (the Dutch one is the topic's).
            .field("second_title", .string)
            .field("second_summary", .string)
            .field("second_body_markdown", .string)
            .field("second_body_html", .string)
            .field("theme_id", .int, .references("categories", "id", onDelete: .setNull))
            .field("source_authors", .string)
            .field("source_publisher", .string)
            .field("source_year", .int)
            .field("source_link", .string)
            .field("source_evidence", .bool, .required)
            .field("publish_at", .datetime)
            .field("published", .bool, .required)
            // Telling members happens in batches after publication; a restart resumes after the
            // last member told.
            .field("fanout_done", .bool, .required)
            .field("fanout_after", .uuid)
            .field("pinned", .bool, .required)
            .field("public", .bool, .required)
            .field("comments_allowed", .bool, .required)
            .field("created_by", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("updated_at", .datetime, .required)
            .create()
        // The list: published items, newest first; the job: scheduled items that are due.
        try await sql.create(index: "ix_news_published").on("news_items").column("published").column("publish_at").column("topic_id").run()

        try await database.schema("blog_follows")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("level", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "member_id", "author_id", name: "uq_blog_follows_member_author")
            .create()
        try await sql.create(index: "ix_blog_follows_author").on("blog_follows").column("author_id").column("level").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("blog_follows").delete()
        try await database.schema("news_items").delete()
        try await sql.raw("DELETE FROM topics WHERE kind <> 'forum'").run()
        try await sql.delete(from: "categories").where("internal", .equal, true).run()
        try await sql.drop(index: "ix_topics_kind_created").run()
        try await database.schema("notification_preferences").deleteField("email_messages").update()
        try await database.schema("notification_preferences").deleteField("email_news").update()
        try await database.schema("categories").deleteField("internal").update()
        try await database.schema("topics").deleteField("kind").update()
    }
}

/// The categories that hold the topics of news items and blog entries (never listed as themes).
enum InternalCategory: String, CaseIterable, Sendable {
    case news = "news"
    case blogs = "blogs"

    var nameNL: String { self == .news ? "Nieuws" : "Blogs" }
    var nameEN: String { self == .news ? "News" : "Blogs" }
}
