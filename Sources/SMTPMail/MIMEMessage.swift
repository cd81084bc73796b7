import Foundation

/// Renders a mail as an RFC 5322 / MIME message with CRLF line endings, ready for `SMTPClient`.
///
/// Bodies are UTF-8 in base64 (76-character lines), so the message is 7-bit clean. Header values
/// lose any CR or LF (no header injection); non-ASCII subjects and display names become RFC 2047
/// encoded words, and headers are folded so no line exceeds 78 characters.
public enum MIMEMessage {
    public static func render(
        fromName: String,
        fromAddress: String,
        to: String,
        subject: String,
        textBody: String,
        htmlBody: String?,
        date: Date,
        messageID: String,
        unsubscribeURL: String? = nil
    ) -> String {
        let fromAddress = sanitized(fromAddress).trimmingCharacters(in: .whitespaces)
        let fromName = sanitized(fromName).trimmingCharacters(in: .whitespaces)
        let fromTokens = fromName.isEmpty ? [fromAddress] : displayName(fromName) + ["<\(fromAddress)>"]
        var id = sanitized(messageID).trimmingCharacters(in: .whitespaces)
        if !id.hasPrefix("<") { id = "<" + id }
        if !id.hasSuffix(">") { id += ">" }

        var lines: [String] = []
        lines.append(folded(name: "From", tokens: fromTokens))
        lines.append(folded(name: "To", value: sanitized(to).trimmingCharacters(in: .whitespaces)))
        lines.append(subjectHeader(sanitized(subject)))
        lines.append("Date: \(rfc5322Date(date))")
        lines.append(folded(name: "Message-ID", value: id))
        if let unsubscribeURL {
            // RFC 2369 and RFC 8058: mail programs offer "unsubscribe" and POST to the link, no login.
            lines.append(folded(name: "List-Unsubscribe", value: "<\(sanitized(unsubscribeURL))>"))
            lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        lines.append("MIME-Version: 1.0")

        if let htmlBody {
            let boundary = "=_alt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            lines.append("Content-Type: multipart/alternative;")
            lines.append(" boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a multi-part message in MIME format.")
            lines.append("")
            lines.append("--\(boundary)")
            lines.append(contentsOf: part(type: "text/plain", body: textBody))
            lines.append("--\(boundary)")
            lines.append(contentsOf: part(type: "text/html", body: htmlBody))
            lines.append("--\(boundary)--")
        } else {
            lines.append(contentsOf: part(type: "text/plain", body: textBody))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: - Parts

    /// A part's headers, a blank line and its base64 body.
    private static func part(type: String, body: String) -> [String] {
        ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            + base64Lines(canonicalLineEndings(body))
    }

    /// Text in canonical form: every line break CRLF.
    static func canonicalLineEndings(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    private static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        guard !encoded.isEmpty else { return [] }
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    // MARK: - Headers

    /// Removes CR and LF (each run becomes one space) so a value cannot start a new header.
    static func sanitized(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        var lastWasBreak = false
        for scalar in value.unicodeScalars {
            if scalar == "\r" || scalar == "\n" {
                if !lastWasBreak { result.unicodeScalars.append(" ") }
                lastWasBreak = true
            } else {
                result.unicodeScalars.append(scalar)
                lastWasBreak = false
            }
        }
        return result
    }

    private static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F || $0 == "\t" }
    }

    /// A display name for From, as tokens that must not be split: as it is when it is plain
    /// atoms, quoted when it holds specials, encoded words when it holds non-ASCII.
    private static func displayName(_ name: String) -> [String] {
        guard isPlainASCII(name), !name.contains("=?") else {
            return encodedWords(name, firstLineUsed: "From: ".count)
        }
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
        if name.unicodeScalars.allSatisfy({ $0.isASCII && atext.contains($0) }) {
            return [name]
        }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return ["\"\(escaped)\""]
    }

    private static func subjectHeader(_ subject: String) -> String {
        if isPlainASCII(subject), !subject.contains("=?") {
            let header = folded(name: "Subject", value: subject)
            if header.components(separatedBy: "\r\n").allSatisfy({ $0.utf8.count <= 78 }) {
                return header
            }
        }
        return folded(name: "Subject", tokens: encodedWords(subject, firstLineUsed: "Subject: ".count))
    }

    /// Folds `Name: value` at spaces so lines stay within 78 characters where the value allows.
    static func folded(name: String, value: String) -> String {
        folded(name: name, tokens: value.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
    }

    /// `Name: ` followed by the tokens separated by spaces, starting a new line (CRLF and a
    /// space) before a token that would make the line longer than 78 characters.
    static func folded(name: String, tokens: [String]) -> String {
        var lines: [String] = []
        var current = "\(name):"
        var lineHasToken = false
        for token in tokens {
            let candidate = current + " " + token
            if candidate.utf8.count > 78, lineHasToken {
                lines.append(current)
                current = " " + token
            } else {
                current = candidate
            }
            lineHasToken = true
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words, each at most 75 characters and never splitting a UTF-8
    /// sequence, sized so that each folded line stays within 78 characters.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        let prefix = "=?UTF-8?B?"
        let suffix = "?="
        // A continuation line is " " + word; the first line starts after "Name: ".
        let firstBudget = min(75, 78 - firstLineUsed)
        let laterBudget = 75
        func maxBytes(forWordLength length: Int) -> Int {
            ((length - prefix.count - suffix.count) / 4) * 3
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = maxBytes(forWordLength: firstBudget)
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty, chunk.count + bytes.count > limit {
                words.append(prefix + Data(chunk).base64EncodedString() + suffix)
                chunk = []
                limit = maxBytes(forWordLength: laterBudget)
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(prefix + Data(chunk).base64EncodedString() + suffix)
        }
        return words
    }

    // MARK: - Date

    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Tue, 04 Mar 2025 09:05:07 +0000`: English names, always UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String {
            let n = n ?? 0
            return n < 10 ? "0\(n)" : "\(n)"
        }
        let weekday = dayNames[((c.weekday ?? 1) - 1) % 7]
        let month = monthNames[((c.month ?? 1) - 1) % 12]
        return "\(weekday), \(two(c.day)) \(month) \(c.year ?? 1970) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
