import Foundation

/// Finds likely privacy-sensitive details in a text before it is published: phone numbers,
/// email addresses, Dutch postcodes with a house number or street addresses, and names of
/// doctors or therapists ("dokter Jansen", "mijn psychiater Peter de Vries", "Dr Patel").
/// The author is shown what was found and decides; nothing is blocked.
public enum PrivacyScanner {
    public enum Kind: String, Sendable, CaseIterable {
        case phone
        case email
        case address
        case caregiverName = "caregiver_name"
    }

    public struct Finding: Sendable, Equatable {
        public let kind: Kind
        public let text: String
    }

    private static let name = #"[A-Z\u00C0-\u00DE][a-z\u00DF-\u00FF]+"#
    private static let particles = #"(?:(?:van|de|der|den|ter|ten|von|la|le|el)\s+)*"#
    private static let roles =
        #"(?i:dokter|dr\.?|doctor|huisarts|psychiater|psycholoog|psychologe|therapeut|therapeute|psychotherapeut|behandelaar|verpleegkundige|psychiatrist|psychologist|therapist|psychotherapist|counsell?or|nurse|GP)"#

    private static let sources: [(Kind, String)] = [
        // An address starts where a run of its characters starts (or where the last match
        // ended, `\G`, as an unanchored search would): tried from every letter of a long word,
        // each try read to the word's end, and a 20,000-letter word took seconds.
        (.email, #"(?:(?<![A-Za-z0-9._%+-])|\G)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"#),
        // Dutch numbers have ten digits (06-12345678, 020-1234567, +31 6 …); short service
        // numbers such as 112, 113 and 0800-0113 are not personal and do not match.
        (.phone, #"(?<![\d+])(?:\+31|0031|0)[\s.-]?(?:\(0\)[\s.-]?)?[1-9](?:[\s.-]?\d){8}(?!\d)"#),
        (.phone, #"(?<![\d+])\+(?:[02-9]\d{0,2})[\s.-]?\d(?:[\s.-]?\d){6,11}(?!\d)"#),
        (.address, #"\b\d{1,5}[a-zA-Z]?,?\s+[1-9]\d{3}\s?[A-Z]{2}\b"#),
        (.address, #"\b[1-9]\d{3}\s?[A-Z]{2},?\s+\d{1,5}\b"#),
        (.address, #"\b[A-Z][a-z]+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|hof|park)\s+\d{1,5}[a-zA-Z]?\b"#),
        (.caregiverName, #"\b\#(roles)\s+\#(particles)\#(name)(?:\s+\#(particles)\#(name))?"#),
    ]
    nonisolated(unsafe) private static let patterns: [(Kind, NSRegularExpression)] =
        sources.map { ($0.0, try! NSRegularExpression(pattern: $0.1)) }

    /// Linear in the text, however long its words or many its findings: each unbounded
    /// repetition in the patterns reads a run that only one start position can reach, and an
    /// overlap is checked against a mark per UTF-16 unit, not against every earlier finding.
    public static func scan(_ text: String) -> [Finding] {
        let range = NSRange(text.startIndex..., in: text)
        var findings: [Finding] = []
        var covered = [Bool](repeating: false, count: range.length)
        for (kind, regex) in patterns {
            for match in regex.matches(in: text, range: range) {
                let units = match.range.location..<(match.range.location + match.range.length)
                guard !units.contains(where: { covered[$0] }),
                    let swiftRange = Range(match.range, in: text)
                else { continue }
                for unit in units { covered[unit] = true }
                findings.append(Finding(kind: kind, text: String(text[swiftRange])))
            }
        }
        return findings
    }
}
