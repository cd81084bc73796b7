import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as every
/// authenticator app understands them.
struct TOTP: Sendable {
    static let step: TimeInterval = 30
    static let digits = 6
    /// Codes from one step before or after are accepted too: phones' clocks drift.
    static let window = 1

    let secret: [UInt8]

    init(secret: [UInt8]) { self.secret = secret }

    init?(base32 text: String) {
        guard let bytes = Base32.decode(text), bytes.count >= 10 else { return nil }
        self.secret = bytes
    }

    /// 20 random bytes (160 bits, as RFC 4226 recommends).
    static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func counter(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / step).rounded(.down)) }

    func code(counter: Int64) -> String {
        var big = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &big) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let value = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let code = value % 1_000_000
        return String(repeating: "0", count: Self.digits - String(code).count) + String(code)
    }

    func code(at date: Date) -> String { code(counter: Self.counter(at: date)) }

    /// The step a typed code belongs to, if it is valid now (within the window), else nil.
    func matchingCounter(_ typed: String, at date: Date) -> Int64? {
        let digits = typed.filter(\.isNumber)
        guard digits.count == Self.digits else { return nil }
        let now = Self.counter(at: date)
        for delta in -Int64(Self.window)...Int64(Self.window) where SecureToken.constantTimeEquals(code(counter: now + delta), digits) {
            return now + delta
        }
        return nil
    }

    /// The address an authenticator app can import (shown as text; typing the key works too).
    func provisioningURI(account: String, issuer: String = "Depression Connect") -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? account
        let issuerParam = issuer.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? issuer
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParam)&digits=6&period=30"
    }
}

/// RFC 4648 base32 without padding, the form authenticator apps expect for keys.
enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Accepts lower case, spaces and padding, as people copy keys.
    static func decode(_ text: String) -> [UInt8]? {
        var out = [UInt8]()
        var buffer = 0, bits = 0
        for char in text.uppercased().utf8 where char != UInt8(ascii: " ") && char != UInt8(ascii: "=") && char != UInt8(ascii: "-") {
            guard let value = alphabet.firstIndex(of: char) else { return nil }
            buffer = ((buffer << 5) | value) & 0xFFFF
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}
