import Foundation

/// Builds the Markdown for quoting another post in a reply.
public enum Quoting {
    /// At most this many characters of the quoted post are taken.
    public static let maximumLength = 1_500

    /// `intro` (e.g. "Anna wrote:") followed by the text as a block quote, shortened if long.
    public static func quote(_ markdown: String, author: String, intro: String) -> String {
        var text = markdown.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > maximumLength { text = String(text.prefix(maximumLength)) + " …" }
        let quoted = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? ">" : "> \($0)" }
            .joined(separator: "\n")
        return "\(intro)\n\n\(quoted)"
    }
}
