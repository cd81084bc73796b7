import Foundation

/// A check of an email address that keeps mail headers safe; the mail itself proves the rest.
/// The local part takes the characters RFC 5322 allows unquoted ("atext" and dots), the domain
/// letters, digits and hyphens in dot-separated labels. Anything that could end or split a
/// header field (`,`, `<`, `>`, `;`, quotes, spaces, line breaks) is refused, so
/// `x,evil@example.org` can never add a second recipient.
enum EmailAddress {
    private static let localCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-.")
    private static let domainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")

    static func isPlausible(_ value: String) -> Bool {
        guard value.utf8.count <= 254 else { return false }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        guard (1...64).contains(local.count), local.allSatisfy(localCharacters.contains),
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.count), label.allSatisfy(domainCharacters.contains),
                !label.hasPrefix("-"), !label.hasSuffix("-")
            else { return false }
        }
        // The top-level domain is letters (or an IDN in its xn-- form).
        guard let top = labels.last, top.count >= 2, top.allSatisfy({ $0.isLetter }) || top.hasPrefix("xn--") else { return false }
        return true
    }
}
