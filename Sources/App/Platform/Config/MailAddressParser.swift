import Foundation

/// Reads `Name <address>` or a bare address, as used in MAIL_FROM.
enum MailAddressParser {
    static func parse(_ raw: String, variable: String) throws -> (name: String, address: String) {
        if let open = raw.lastIndex(of: "<"), let close = raw.lastIndex(of: ">"), open < close {
            let name = raw[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            let address = String(raw[raw.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
            guard address.contains("@") else { throw ConfigError(variable: variable, reason: "must hold an email address") }
            return (name.isEmpty ? "Depression Connect" : name, address)
        }
        guard raw.contains("@") else { throw ConfigError(variable: variable, reason: "must hold an email address") }
        return ("Depression Connect", raw)
    }
}
