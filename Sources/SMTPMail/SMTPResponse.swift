/// One reply of an SMTP server: a three-digit code and one or more lines of text.
public struct SMTPResponse: Sendable, Equatable {
    public var code: Int
    /// The text of each line, without the code and separator (`"250-SIZE 100"` gives `"SIZE 100"`).
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The lines joined by spaces, cut to a reasonable length for error messages and logs.
    public var text: String {
        let joined = lines.joined(separator: " ")
        return joined.count > 300 ? String(joined.prefix(300)) + "…" : joined
    }

    public var isPositiveCompletion: Bool { (200...299).contains(code) }
    public var isPositiveIntermediate: Bool { (300...399).contains(code) }
}
