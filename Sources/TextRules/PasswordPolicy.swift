import Foundation

/// The rules a new password must meet: long enough, and not one of the passwords that
/// attackers try first.
public struct PasswordPolicy: Sendable {
    public enum Problem: String, Sendable, Equatable {
        case tooShort = "password.too_short"
        case tooLong = "password.too_long"
        case common = "password.common"
    }

    public static let minimumLength = 10
    /// bcrypt only uses the first 72 bytes; refusing longer input avoids a false sense of strength.
    public static let maximumBytes = 72

    private let commonPasswords: Set<String>

    public init(commonPasswords: Set<String>) {
        self.commonPasswords = commonPasswords
    }

    /// Loads the list shipped with the project: one password per line.
    public init(commonPasswordList text: String) {
        var set = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let word = line.trimmingCharacters(in: .whitespaces).lowercased()
            if !word.isEmpty { set.insert(word) }
        }
        self.init(commonPasswords: set)
    }

    /// Returns the first problem with the password, or nil when it is acceptable.
    public func problem(with password: String, alsoRefusing personal: [String] = []) -> Problem? {
        if password.count < Self.minimumLength { return .tooShort }
        if password.utf8.count > Self.maximumBytes { return .tooLong }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) { return .common }
        // A password that is just the email or pseudonym is as good as a common one.
        for value in personal where !value.isEmpty && lowered == value.lowercased() {
            return .common
        }
        return nil
    }
}
