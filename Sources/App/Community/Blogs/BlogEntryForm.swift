import Vapor

/// A blog entry as typed: the text fields of a post, who reads it, and whether others comment.
struct BlogEntryForm: Content {
    var title: String?
    var body: String?
    /// `members` or `only_me`.
    var visibility: String?
    /// "on" when others may comment (a checkbox).
    var comments: String?
    var preview: String?
    var privacy_ok: String?

    /// The text part, for the publishing path.
    var post: PostForm { PostForm(title: title, body: body, category: nil, preview: preview, privacy_ok: privacy_ok) }

    /// Unknown or missing visibility reads as the safer choice: only the author.
    var settings: BlogEntrySettings {
        BlogEntrySettings(
            visibility: BlogEntrySettings.Visibility(rawValue: visibility ?? "") ?? .onlyMe,
            commentsAllowed: comments == "on")
    }

    /// The form of a new entry: for all members, comments on.
    static let blank = BlogEntryForm(title: "", body: "", visibility: BlogEntrySettings.Visibility.members.rawValue, comments: "on")

    /// The form of an existing entry.
    init(entry topic: Topic, post: Post) {
        title = topic.title
        body = post.bodyMarkdown
        visibility = (topic.kind == .journal ? BlogEntrySettings.Visibility.onlyMe : .members).rawValue
        comments = topic.closed ? nil : "on"
    }

    init(title: String?, body: String?, visibility: String?, comments: String?, preview: String? = nil, privacy_ok: String? = nil) {
        self.title = title
        self.body = body
        self.visibility = visibility
        self.comments = comments
        self.preview = preview
        self.privacy_ok = privacy_ok
    }

    /// A form sent after the session expired, as kept by `FormRescue`.
    init(rescued: [String: String]) {
        self.init(title: rescued["title"], body: rescued["body"], visibility: rescued["visibility"], comments: rescued["comments"])
    }
}
