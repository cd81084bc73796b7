import Fluent
import Foundation

/// What a news item adds to its topic (whose opening post is the item's text in its first
/// language): the kind, the summary, the English text of an item in both languages, the
/// theme, the source of a publication, and when and to whom it is shown.
final class NewsItem: Model, @unchecked Sendable {
    static let schema = "news_items"

    enum Kind: String, Codable, Sendable, CaseIterable {
        /// Announcements, tips, calls for research participants.
        case news
        /// A study or guideline summarised in plain language, with its source.
        case publication
        /// The research team asks members to take part in a study: the item links to consent.
        case call
    }

    enum Language: String, Codable, Sendable, CaseIterable {
        case nl, en
        /// Two texts: the Dutch one in the topic, the English one here.
        case both
    }

    @ID(custom: "topic_id", generatedBy: .user) var id: Int?
    @Field(key: "kind") var kind: Kind
    @Field(key: "language") var language: Language
    @Field(key: "summary") var summary: String
    @OptionalField(key: "second_title") var secondTitle: String?
    @OptionalField(key: "second_summary") var secondSummary: String?
    @OptionalField(key: "second_body_markdown") var secondBodyMarkdown: String?
    @OptionalField(key: "second_body_html") var secondBodyHTML: String?
    @OptionalField(key: "theme_id") var themeID: Int?
    @OptionalField(key: "source_authors") var sourceAuthors: String?
    @OptionalField(key: "source_publisher") var sourcePublisher: String?
    @OptionalField(key: "source_year") var sourceYear: Int?
    @OptionalField(key: "source_link") var sourceLink: String?
    /// The link is one of the moderators' evidence-based sources (it carries their mark).
    @Field(key: "source_evidence") var sourceEvidence: Bool
    /// Nil for a draft; in the future for a scheduled item.
    @OptionalField(key: "publish_at") var publishAt: Date?
    @Field(key: "published") var published: Bool
    @Field(key: "fanout_done") var fanoutDone: Bool
    @OptionalField(key: "fanout_after") var fanoutAfter: UUID?
    /// Shown on the members' home page.
    @Field(key: "pinned") var pinned: Bool
    /// Readable without logging in: the only member-area content a visitor ever sees.
    @Field(key: "public") var isPublic: Bool
    @Field(key: "comments_allowed") var commentsAllowed: Bool
    @Field(key: "created_by") var createdBy: UUID
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// The title, summary and text to show in a language (the item's other text when it has none).
    func texts(for locale: AppLocale, topic: Topic, post: Post) -> (title: String, summary: String, html: String) {
        if language == .both && locale == .en, let secondTitle, let secondSummary, let secondBodyHTML {
            return (secondTitle, secondSummary, secondBodyHTML)
        }
        return (topic.title, summary, post.bodyHTML)
    }

    /// The language the first text is written in.
    var firstLanguage: AppLocale { language == .en ? .en : .nl }
}
