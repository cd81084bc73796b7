import Foundation

/// Builds the Markdown for quoting another post in a reply.
public enum Quoting {
    /// At most this many characters of the quoted post are taken.
    public static let maximumLength = 1_500

    /// `intro` (e.g. "Anna wrote:", a link to the quoted post when `link` is given) followed by
    /// the text as a block quote, shortened if long; paragraphs and lists keep their shape.
    public static func quote(_ markdown: String, author: String, intro: String, link: String? = nil) -> String {
        var text = markdown.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > maximumLength { text = String(text.prefix(maximumLength)) + " …" }
        let quoted = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? ">" : "> \($0)" }
            .joined(separator: "\n")
        let heading = link.map { "[\(escapeLinkText(intro))](\($0))" } ?? intro
        return "\(heading)\n\n\(quoted)"
    }

    /// Brackets in a name must not end the link's text early.
    static func escapeLinkText(_ text: String) -> String {
        text.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
    }
}
