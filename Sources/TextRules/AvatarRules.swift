/// A member's picture is made from their pseudonym: one or two initials on a calm colour.
/// No uploads, no outside service, nothing to track; the same name always gives the same
/// picture, on every server and after every restart (a fixed hash, not Swift's seeded one).
public enum AvatarRules {
    /// The calm colours, by name (the stylesheet has a class for each). Each pairs a pale
    /// background with a dark text of the same hue, well above 4.5:1 contrast.
    public static let colours = ["sage", "sky", "sand", "lavender", "rose", "teal", "peach", "slate"]

    /// The colour chosen for a pseudonym when the member chose none.
    public static func colour(for pseudonym: String) -> String {
        colours[Int(fnv1a(pseudonym.lowercased()) % UInt64(colours.count))]
    }

    /// Up to two initials: the first letter, and the first capital or letter after a break
    /// inside the name ("CalmMeeuw590" → "CM", "stille_reiger" → "SR", "42zon" → "4Z", "Roos" → "R").
    public static func initials(of pseudonym: String) -> String {
        let letters = Array(pseudonym)
        guard let first = letters.firstIndex(where: { $0.isLetter || $0.isNumber }) else { return "?" }
        var result = String(letters[first]).uppercased()
        var previous = letters[first]
        for character in letters[(first + 1)...] {
            defer { previous = character }
            guard character.isLetter else { continue }
            if character.isUppercase && previous.isLowercase || !previous.isLetter {
                result += String(character).uppercased()
                break
            }
        }
        return result
    }

    /// 64-bit FNV-1a over the UTF-8 bytes: small, stable and well spread for short names.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
