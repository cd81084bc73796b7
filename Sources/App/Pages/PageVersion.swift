import Fluent
import Vapor

/// One version of an editable page (terms, privacy, rules, help, manual, home) in one language.
/// The newest version per slug and locale is the one shown; older ones stay for the record.
public final class PageVersion: Model, @unchecked Sendable {
    public static let schema = "page_versions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "slug") public var slug: String
    @Field(key: "locale") public var locale: AppLocale
    @Field(key: "version") public var version: Int
    @Field(key: "title") public var title: String
    @Field(key: "body_markdown") public var bodyMarkdown: String
    /// Sanitised HTML cooked from the Markdown when the version was saved.
    @Field(key: "body_html") public var bodyHTML: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// The pages stored as versions, and which of them a member accepts at sign-up.
public enum PageSlug: String, CaseIterable, Sendable {
    case home, terms, privacy, rules, help, manual
    /// The moderators' welcome reply to a first post; `{name}` becomes the member's pseudonym.
    case welcome
    /// The manual's page on looking after yourself while supporting others (`/manual/self-care`).
    case selfCare = "self-care"
    /// The research team's information letter, read before consenting (`/research/consent`).
    case researchLetter = "research-letter"

    static let acceptedAtSignup: [PageSlug] = [.terms, .privacy, .rules]
}
