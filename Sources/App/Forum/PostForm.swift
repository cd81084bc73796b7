import Vapor

/// The text of a new topic, a reply or an edit.
struct PostForm: Content {
    var title: String?
    var body: String?
    var category: String?
    var preview: String?
    /// Set by "Publish anyway" on the privacy nudge.
    var privacy_ok: String?

    static let bodyLimit = 20_000
    static let titleLength = 3...120

    var titleValue: String { Self.clean(title ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    var bodyValue: String { Self.clean(body ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    /// True when the "Preview" button was pressed instead of "Post".
    var wantsPreview: Bool { preview != nil }
    var privacyConfirmed: Bool { privacy_ok == "1" }

    /// Checks the body (and the title when one is asked for).
    func validate(needsTitle: Bool) -> FormErrors {
        var errors = FormErrors()
        if needsTitle && !Self.titleLength.contains(titleValue.count) { errors.add("title", "forum.error.title_length") }
        if bodyValue.isEmpty {
            errors.add("body", "forum.error.body_empty")
        } else if bodyValue.count > Self.bodyLimit {
            errors.add("body", "forum.error.body_too_long")
        }
        return errors
    }

    /// Drops control characters other than line breaks and tabs, and normalises line endings.
    static func clean(_ text: String) -> String {
        let unified = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return String(
            String.UnicodeScalarView(
                unified.unicodeScalars.filter { s in
                    s == "\n" || s == "\t" || !(s.value < 0x20 || s.value == 0x7F)
                }))
    }
}
