import Foundation
import Vapor

/// A news item as typed by an editor. Every field comes back as typed when something is wrong.
struct NewsForm: Content {
    var kind: String?
    var language: String?
    var title: String?
    var summary: String?
    var body: String?
    var second_title: String?
    var second_summary: String?
    var second_body: String?
    /// A theme's slug, or empty for none.
    var theme: String?
    /// One of the evidence-based sources (its id), or empty.
    var source_pick: String?
    var source_authors: String?
    var source_publisher: String?
    var source_year: String?
    var source_link: String?
    /// `draft`, `now` or `later`.
    var publish: String?
    /// "2026-12-05 09:00", in the editor's time zone.
    var publish_at: String?
    var pinned: String?
    var `public`: String?
    var comments: String?
    var preview: String?
    var privacy_ok: String?

    static let summaryLimit = 400
    static let sourceFieldLimit = 300
    static let linkLimit = 500

    /// A new item: news in Dutch, a draft, comments on.
    static let blank = NewsForm(kind: "news", language: "nl", publish: "draft", comments: "on")

    init(
        kind: String? = nil, language: String? = nil, title: String? = "", summary: String? = "", body: String? = "",
        publish: String? = nil, comments: String? = nil
    ) {
        self.kind = kind
        self.language = language
        self.title = title
        self.summary = summary
        self.body = body
        self.publish = publish
        self.comments = comments
    }

    /// The form of an existing item.
    init(item: NewsItem, topic: Topic, post: Post, zone: TimeZone) {
        self.init(
            kind: item.kind.rawValue, language: item.language.rawValue, title: topic.title, summary: item.summary,
            body: post.bodyMarkdown, publish: item.published ? "now" : (item.publishAt == nil ? "draft" : "later"),
            comments: item.commentsAllowed ? "on" : nil)
        second_title = item.secondTitle
        second_summary = item.secondSummary
        second_body = item.secondBodyMarkdown
        source_authors = item.sourceAuthors
        source_publisher = item.sourcePublisher
        source_year = item.sourceYear.map(String.init)
        source_link = item.sourceLink
        publish_at = item.publishAt.map { Self.format($0, zone: zone) }
        pinned = item.pinned ? "on" : nil
        self.public = item.isPublic ? "on" : nil
    }

    /// A form sent after the session expired, as kept by `FormRescue`.
    init(rescued: [String: String]) {
        self.init(
            kind: rescued["kind"], language: rescued["language"], title: rescued["title"], summary: rescued["summary"],
            body: rescued["body"], publish: rescued["publish"], comments: rescued["comments"])
        second_title = rescued["second_title"]
        second_summary = rescued["second_summary"]
        second_body = rescued["second_body"]
        theme = rescued["theme"]
        source_pick = rescued["source_pick"]
        source_authors = rescued["source_authors"]
        source_publisher = rescued["source_publisher"]
        source_year = rescued["source_year"]
        source_link = rescued["source_link"]
        publish_at = rescued["publish_at"]
        pinned = rescued["pinned"]
        self.public = rescued["public"]
    }

    /// The text part, for the publishing path.
    var post: PostForm { PostForm(title: title, body: body, category: nil, preview: preview, privacy_ok: privacy_ok) }

    /// Checks every field and turns the form into a draft for the publishing path; what is wrong
    /// travels with it as errors.
    func draft(themes: [Category], sources: [Source], zone: TimeZone, now: Date) -> NewsItemDraft {
        var errors = FormErrors()
        func clean(_ value: String?) -> String { PostForm.clean(value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let kind = NewsItem.Kind(rawValue: kind ?? "") ?? .news
        let language = NewsItem.Language(rawValue: language ?? "") ?? .nl
        let summary = clean(summary)
        if summary.isEmpty || summary.count > Self.summaryLimit { errors.add("summary", "news.error.summary") }
        var second: NewsItemDraft.SecondText? = nil
        if language == .both {
            let text = NewsItemDraft.SecondText(title: clean(second_title), summary: clean(second_summary), body: clean(second_body))
            if !PostForm.titleLength.contains(text.title.count) { errors.add("second_title", "forum.error.title_length") }
            if text.summary.isEmpty || text.summary.count > Self.summaryLimit { errors.add("second_summary", "news.error.summary") }
            if text.body.isEmpty || text.body.count > PostForm.bodyLimit { errors.add("second_body", "news.error.second_body") }
            second = text
        }
        var themeID: Int? = nil
        if let slug = theme, !slug.isEmpty {
            if let found = themes.first(where: { $0.slug == slug }) { themeID = found.id } else { errors.add("theme", "forum.error.category") }
        }
        // The source: picked from the evidence-based list, or typed.
        var source = NewsItemDraft.Source(authors: clean(source_authors), publisher: clean(source_publisher), year: nil, link: clean(source_link))
        if let pick = source_pick, !pick.isEmpty {
            if let picked = sources.first(where: { $0.id?.uuidString == pick }) {
                source.link = picked.url
                if source.publisher.isEmpty { source.publisher = picked.title }
            } else {
                errors.add("source_pick", "news.error.source_pick")
            }
        }
        let year = clean(source_year)
        if !year.isEmpty {
            if let value = Int(year), (1900...2100).contains(value) { source.year = value } else { errors.add("source_year", "news.error.year") }
        }
        if !source.link.isEmpty {
            let lower = source.link.lowercased()
            if !(lower.hasPrefix("https://") || lower.hasPrefix("http://")) || source.link.count > Self.linkLimit || source.link.contains(" ") {
                errors.add("source_link", "news.error.link")
            }
        }
        for (field, value) in [("source_authors", source.authors), ("source_publisher", source.publisher)] where value.count > Self.sourceFieldLimit {
            errors.add(field, "news.error.too_long")
        }
        if kind == .publication && source.authors.isEmpty && source.publisher.isEmpty && source.link.isEmpty {
            errors.add("source_authors", "news.error.source_needed")
        }
        source.evidence = !source.link.isEmpty && sources.contains { $0.url == source.link }
        var publishAt: Date? = nil
        switch publish ?? "draft" {
        case "now":
            publishAt = now
        case "later":
            if let date = Self.parse(clean(publish_at), zone: zone) {
                publishAt = max(date, now)
            } else {
                errors.add("publish_at", "news.error.publish_at")
            }
        default:
            publishAt = nil
        }
        return NewsItemDraft(
            kind: kind, language: language, summary: summary, second: second, themeID: themeID, source: source,
            publishAt: publishAt, pinned: pinned == "on", isPublic: self.public == "on", commentsAllowed: comments == "on",
            errors: errors)
    }

    /// "2026-12-05 09:00" (or with a T) in the zone.
    static func parse(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.replacingOccurrences(of: "T", with: " ").split(separator: " ")
        guard parts.count == 2 else { return nil }
        let day = parts[0].split(separator: "-").compactMap { Int($0) }
        let time = parts[1].split(separator: ":").compactMap { Int($0) }
        guard day.count == 3, time.count >= 2, (1...12).contains(day[1]), (1...31).contains(day[2]), (0...23).contains(time[0]),
            (0...59).contains(time[1])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: time[0], minute: time[1])
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day[2] else { return nil }
        return date
    }

    static func format(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

/// A checked news item, ready for the publishing path (with the errors the form had, if any).
struct NewsItemDraft: Sendable {
    struct SecondText: Sendable {
        var title: String
        var summary: String
        var body: String
    }

    struct Source: Sendable {
        var authors: String
        var publisher: String
        var year: Int?
        var link: String
        var evidence = false
    }

    var kind: NewsItem.Kind
    var language: NewsItem.Language
    var summary: String
    var second: SecondText?
    var themeID: Int?
    var source: Source
    /// Nil: a draft. Now or earlier: published at once. Later: scheduled.
    var publishAt: Date?
    var pinned: Bool
    var isPublic: Bool
    var commentsAllowed: Bool
    var errors: FormErrors

    /// Everything the safety rules read besides the title and the first text.
    var otherText: String {
        [summary, second?.title, second?.summary, second?.body].compactMap { $0 }.joined(separator: "\n")
    }
}
