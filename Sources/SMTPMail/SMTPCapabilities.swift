/// The extensions a server lists in its EHLO reply (`250-STARTTLS`, `250-AUTH PLAIN LOGIN`, …).
struct SMTPCapabilities: Sendable, Equatable {
    /// Keyword (upper-cased) → its parameters.
    private(set) var keywords: [String: [String]] = [:]

    /// No extensions: what a server that only knows HELO offers.
    init() {}

    /// Reads the lines after the first of an EHLO reply.
    init(ehloResponse: SMTPResponse) {
        for line in ehloResponse.lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard var keyword = words.first?.uppercased() else { continue }
            var parameters = Array(words.dropFirst())
            // Some old servers write "AUTH=PLAIN LOGIN".
            if keyword.hasPrefix("AUTH=") {
                parameters.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            keywords[keyword, default: []].append(contentsOf: parameters)
        }
    }

    func supports(_ keyword: String) -> Bool {
        keywords[keyword.uppercased()] != nil
    }

    var authMechanisms: Set<String> {
        Set((keywords["AUTH"] ?? []).map { $0.uppercased() })
    }
}
