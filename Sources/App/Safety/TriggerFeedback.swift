import Foundation
import TextRules

/// A moderator's word on a post the rules judged wrongly: it should have raised an alert, or
/// the alert was a false alarm. Admins turn entries into evaluation sentences and rule changes.
struct TriggerFeedback: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        /// "This should have raised an alert."
        case missed
        /// "This was a false alarm."
        case falseAlarm = "false_alarm"
    }

    enum State: String, Sendable, CaseIterable {
        case open
        /// Added to the evaluation set.
        case added
        case dismissed
    }

    let id: UUID
    let postID: Int?
    let kind: Kind
    /// The post's text with names and contact details taken out; nil when the moderator did not
    /// consent to keeping it.
    let text: String?
    let language: String
    let reportedBy: String?
    let createdAt: Date
    let state: State
}

/// Takes people out of a text before it is kept for the evaluation set: the author's and other
/// members' names, @mentions, email addresses, phone numbers, addresses and caregivers' names.
enum FeedbackText {
    static func pseudonymise(_ text: String, names: [String]) -> String {
        var result = text
        for finding in PrivacyScanner.scan(text) {
            result = result.replacingOccurrences(of: finding.text, with: "[\(finding.kind.rawValue)]")
        }
        for name in Set(names + Mentions.names(in: text)).filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            result = result.replacingOccurrences(of: "@" + name, with: "@[member]", options: .caseInsensitive)
            result = result.replacingOccurrences(of: name, with: "[member]", options: .caseInsensitive)
        }
        // Links can name people or places too.
        if let links = try? NSRegularExpression(pattern: #"https?://[^\s)\]>"]+"#) {
            result = links.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: "[link]")
        }
        return result
    }
}
