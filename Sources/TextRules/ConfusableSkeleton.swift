import Foundation

/// The "skeleton" of a name: what it looks like, with the differences people cannot see
/// folded away, so "DemoModerаtor" (a Cyrillic а), "Demo Moderator" and "demomoderator" all
/// come out the same.
///
/// Follows UTS #39 (Unicode Security Mechanisms) §4, Confusable Detection: NFD, every
/// character mapped to its prototype, NFD again. The mapping below is a compact extract of
/// the Unicode confusables table (https://www.unicode.org/Public/security/latest/confusables.txt,
/// the "MA" data) for look-alikes of ASCII letters and digits: Cyrillic, Greek, Armenian,
/// Cherokee, Lisu, Canadian syllabics, Latin small capitals, IPA and Latin-extended letters,
/// and a few Hebrew and Arabic forms. Compatibility forms (fullwidth, mathematical bold,
/// circled, superscript letters) need no entry: names are NFKC-normalised before.
///
/// Where we differ from the standard, on purpose (for names, a false "already in use" costs a
/// member one more try; a missed look-alike lets someone pose as another member or the team):
/// - it is case-insensitive: prototypes are lower-case ASCII, and a character without an
///   entry of its own is looked up again lower-cased;
/// - i, I, l, 1 and their look-alikes share one prototype ("l"), and 0 shares "o": in many
///   fonts "AdmIn" and "Admln" are the same picture;
/// - accents (combining diacritical marks) are dropped, so "Moderatór" meets "Moderator";
/// - the letter pairs "rn" and "vv" read as "m" and "w" (UTS #39 maps m → rn);
/// - separators (space, "-", "_", ".") are left out.
public enum ConfusableSkeleton {
    public static func skeleton(_ text: String) -> String {
        var mapped = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if let prototype = table[scalar.value] {
                mapped.append(contentsOf: prototype.unicodeScalars)
            } else {
                let lower = String(scalar).lowercased()
                for folded in lower.unicodeScalars {
                    if let prototype = table[folded.value] {
                        mapped.append(contentsOf: prototype.unicodeScalars)
                    } else {
                        mapped.append(folded)
                    }
                }
            }
        }
        var out = String.UnicodeScalarView()
        for scalar in String(mapped).decomposedStringWithCanonicalMapping.unicodeScalars {
            if isDiacritic(scalar) || separators.contains(scalar) { continue }
            out.append(scalar)
        }
        var result = String(out).lowercased()
        // Repeated, so "rrnn" cannot hide an "m" that only appears after a first fold.
        for (pair, letter) in [("rn", "m"), ("vv", "w")] {
            while result.contains(pair) { result = result.replacingOccurrences(of: pair, with: letter) }
        }
        return result
    }

    static let separators: Set<Unicode.Scalar> = [" ", "-", "_", "."]

    /// Combining diacritical marks (accents), not the vowel signs of Indic and other scripts.
    static func isDiacritic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F: return true
        default: return false
        }
    }

    /// Each prototype with the characters that look like it. Upper- and lower-case forms are
    /// listed separately where they look like different letters (Greek Η is "H", η is "n").
    static let groups: [(prototype: String, lookalikes: [UInt32])] = [
        ("a", [0x0430, 0x0410, 0x03B1, 0x0391, 0x0251, 0x1D00, 0x13AA, 0xA4EE, 0x15E9]),
        ("b", [0x0432, 0x0412, 0x0392, 0x0299, 0x0185, 0x0184, 0x042C, 0x044C, 0x13CF, 0x13F4, 0xA4D0, 0x15F7, 0x0253]),
        ("c", [0x0441, 0x0421, 0x03F2, 0x03F9, 0x1D04, 0x13DF, 0xA4DA, 0x1455, 0x0188, 0x2CA5, 0x2CA4, 0x217D]),
        ("d", [0x0501, 0x13A0, 0x13E7, 0xA4D3, 0x15EA, 0x1D05, 0x0257, 0x0256, 0x0111, 0x0110, 0x018A, 0x217E]),
        ("e", [0x0435, 0x0415, 0x03B5, 0x0395, 0x1D07, 0x13AC, 0xA4F0, 0x15F4, 0x0454, 0x025B, 0x0190, 0x04BD]),
        ("f", [0xA730, 0xA4DD, 0x15B4, 0x0192, 0x0191, 0x03DC, 0x017F]),
        ("g", [0x0261, 0x0262, 0x050D, 0x050C, 0x13C0, 0xA4D6, 0x0581, 0x0260, 0x01E5, 0x01E4]),
        (
            "h",
            [
                0x043D, 0x041D, 0x04BB, 0x04BA, 0x0397, 0x029C, 0x13BB, 0x13C2, 0xA4E7, 0x157C, 0x0570, 0x0127, 0x0126, 0x2C8E,
                0x0266,
            ]
        ),
        // i, I, l, 1 and the strokes that look like them.
        (
            "l",
            [
                0x0069, 0x0049, 0x0031, 0x0456, 0x0406, 0x04C0, 0x04CF, 0x0399, 0x03B9, 0x0131, 0x0269, 0x026A, 0x0196, 0x01C0,
                0x13A5, 0x13DE, 0xA4F2, 0xA4E1, 0x14AA, 0x0142, 0x0141, 0x0140, 0x013F, 0x026B, 0x026D, 0x0268, 0x05D5, 0x05DF,
                0x0627, 0x0661, 0x06F1, 0x217C, 0x2C92, 0x029F, 0x07CA, 0x2D4F,
            ]
        ),
        ("j", [0x0458, 0x0408, 0x03F3, 0x037F, 0x0237, 0x1D0A, 0x13AB, 0xA4D9, 0x148D, 0x0249, 0x0248, 0x029D]),
        ("k", [0x043A, 0x041A, 0x03BA, 0x039A, 0x1D0B, 0x13E6, 0xA4D7, 0x0138, 0x049F, 0x049E, 0x2C94, 0x0199, 0x0198]),
        ("m", [0x043C, 0x041C, 0x039C, 0x1D0D, 0x13B7, 0xA4DF, 0x15F0, 0x03FB, 0x03FA, 0x2C98, 0x217F, 0x0271]),
        ("n", [0x03B7, 0x039D, 0x0274, 0xA4E0, 0x144E, 0x057C, 0x0578, 0x043F, 0x2C9A, 0x0272, 0x019E]),
        // o and the digit zero.
        (
            "o",
            [
                0x0030, 0x043E, 0x041E, 0x03BF, 0x039F, 0x03C3, 0x1D0F, 0x0585, 0x0555, 0xA4F3, 0x05E1, 0x0665, 0x06F5, 0x0647,
                0x0966, 0x0E50, 0x0ED0, 0x101D, 0x1040, 0x00F8, 0x00D8, 0x0275, 0x019F, 0x04E9, 0x04E8, 0x0473, 0x0472, 0x2C9F,
                0x2C9E, 0x0D20, 0x0B20, 0x0C66, 0x0CE6, 0x0D66, 0x0BE6,
            ]
        ),
        ("p", [0x0440, 0x0420, 0x03C1, 0x03A1, 0x1D18, 0x13E2, 0xA4D1, 0x146D, 0x2CA3, 0x2CA2, 0x01A5, 0x048F, 0x0584]),
        ("q", [0x051B, 0x051A, 0x0566, 0x146B, 0x024B, 0x02A0]),
        ("r", [0x0433, 0x0280, 0x13A1, 0x13D2, 0xA4E3, 0x1587, 0x027E, 0x027D, 0x1D26]),
        ("s", [0x0455, 0x0405, 0xA731, 0x13D5, 0x13DA, 0xA4E2, 0x1515, 0x054F, 0x10BD, 0x01BD, 0x0282]),
        ("t", [0x0442, 0x0422, 0x03C4, 0x03A4, 0x1D1B, 0x13A2, 0xA4D4, 0x0167, 0x0166, 0x01AD, 0x04AD, 0x04AC, 0x2CA6]),
        ("u", [0x057D, 0x054D, 0x03C5, 0x03BC, 0x1D1C, 0xA4F4, 0x144C, 0x028B, 0x0289, 0x01B2]),
        ("v", [0x03BD, 0x0474, 0x0475, 0x1D20, 0x13D9, 0xA4E6, 0x142F, 0x2174]),
        ("w", [0x051D, 0x051C, 0x0461, 0x03C9, 0x1D21, 0x13B3, 0x13D4, 0xA4EA, 0x15EF, 0x026F]),
        ("x", [0x0445, 0x0425, 0x03C7, 0x03A7, 0xA4EB, 0x166D, 0x04B3, 0x04B2, 0x2CAD, 0x2CAC, 0x2179]),
        (
            "y",
            [
                0x0443, 0x0423, 0x04AF, 0x04AE, 0x03B3, 0x03A5, 0x028F, 0x13A9, 0xA4EC, 0x10E7, 0x01B4, 0x01B3, 0x024F,
                0x024E, 0x04B1, 0x04B0,
            ]
        ),
        ("z", [0x0396, 0x1D22, 0x13C3, 0xA4DC, 0x01B6, 0x01B5, 0x0225, 0x0224]),
        ("2", [0x01A7, 0x01A8, 0x03E8, 0x03E9, 0xA644]),
        ("3", [0x0417, 0x0437, 0x04E0, 0x04E1, 0x01B7, 0x0292, 0x021C, 0x021D, 0x025C, 0xA76A, 0xA76B]),
        ("4", [0x13CE]),
        ("5", [0x01BC]),
        ("6", [0x0431, 0x13EE]),
        ("8", [0x0222, 0x0223, 0x09EA, 0x0A6A]),
        ("9", [0x0A67, 0x09ED, 0xA76E]),
    ]

    /// Code point → prototype. Built once from `groups`; the first group to name a character wins.
    static let table: [UInt32: String] = {
        var table = [UInt32: String]()
        for (prototype, lookalikes) in groups {
            for value in lookalikes where table[value] == nil {
                table[value] = prototype
                // Cherokee has small letters (U+AB70…) that look like its capitals (U+13A0…).
                if (0x13A0...0x13EF).contains(value) { table[value + 0xAB70 - 0x13A0] = prototype }
            }
        }
        return table
    }()
}
