import Foundation

/// A default page text shipped in Resources/Pages: a `# Title` line, then Markdown.
struct PageFile {
    let directory: String
    let slug: String
    let locale: String

    func read() throws -> (title: String, body: String) {
        let path = "\(directory)/\(locale)/\(slug).md"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PageFileError(path: path)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var title = slug.capitalized
        if let first = lines.first, first.hasPrefix("# ") {
            title = String(first.dropFirst(2)).trimmingCharacters(in: .whitespaces)
            lines.removeFirst()
        }
        return (title, lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

struct PageFileError: Error, CustomStringConvertible {
    let path: String
    var description: String { "The default page text \(path) is missing." }
}
