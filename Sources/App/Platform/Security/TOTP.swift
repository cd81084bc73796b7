import Foundation
import Vapor

/// Vapor's time-based one-time passwords as the project uses them: RFC 6238 with HMAC-SHA1,
/// 30-second steps and 6 digits, as every authenticator app understands them, and the key kept
/// on the member as base32 text.
extension TOTP {
    static let step = 30
    /// Codes from one step before or after are accepted too: phones' clocks drift.
    static let window = 1

    /// The TOTP for a stored key; nil if the text is not a base32 key of at least 80 bits.
    init?(base32 text: String) {
        guard let bytes = Self.keyBytes(text), bytes.count >= 10 else { return nil }
        self.init(key: SymmetricKey(data: bytes), digest: .sha1, digits: .six, interval: Self.step)
    }

    /// A new key as stored on the member: 160 random bits (as RFC 4226 recommends) in base32.
    static func newSecret() -> String {
        SymmetricKey(size: SymmetricKeySize(bitCount: 160)).withUnsafeBytes { Data($0) }.base32EncodedString()
    }

    /// The step a time falls in: what `totp_last_counter` keeps so a code cannot be used twice.
    static func counter(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / Double(step)).rounded(.down)) }

    /// The step a typed code belongs to, if it is valid now (within the window), else nil.
    func matchingCounter(_ typed: String, at date: Date) -> Int64? {
        let digits = typed.filter(\.isNumber)
        guard digits.count == OTPDigits.six.rawValue else { return nil }
        // Vapor lists the codes from `window` steps before to `window` steps after.
        let codes = generate(time: date, range: Self.window)
        guard let index = codes.firstIndex(where: { SecureToken.constantTimeEquals($0, digits) }) else { return nil }
        return Self.counter(at: date) + Int64(index - Self.window)
    }

    /// Vapor's relaxed base32 skips spaces and hyphens but knows only capitals and no padding;
    /// keys were always read in any case and with padding, so both still work.
    private static func keyBytes(_ text: String) -> Data? {
        Data(base32Encoded: text.uppercased().filter { $0 != "=" })
    }

    /// The address an authenticator app can import (shown as text; typing the key works too).
    static func provisioningURI(secret: String, account: String, issuer: String = "Depression Connect") -> String? {
        guard let bytes = keyBytes(secret) else { return nil }
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? account
        let issuerParam = issuer.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(bytes.base32EncodedString())&issuer=\(issuerParam)&digits=6&period=\(step)"
    }
}
