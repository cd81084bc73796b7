import Foundation

/// Folds text the way people write on a bad day into a canonical form for matching:
/// lower case, no diacritics ("één" → "een"), digits inside words read as letters
/// ("z3lfm00rd" → "zelfmoord"), letters repeated for emphasis collapsed ("neeeee" → "ne"),
/// and every run of punctuation or spacing turned into one space. The result starts and ends
/// with a space, so " word " marks whole words and " word" (a wildcard) a word's start.
///
/// `origins[i]` is the offset (in UTF-8 bytes of the original) of the character that produced
/// byte `i` of the result, so a match can be shown where it was written.
public struct NormalisedText: Sendable {
    public let bytes: [UInt8]
    public let origins: [Int]

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

public enum TextNormaliser {
    /// Digits that stand in for letters inside a word.
    private static let leet: [UInt8: UInt8] = [
        UInt8(ascii: "0"): UInt8(ascii: "o"), UInt8(ascii: "1"): UInt8(ascii: "i"), UInt8(ascii: "3"): UInt8(ascii: "e"),
        UInt8(ascii: "4"): UInt8(ascii: "a"), UInt8(ascii: "5"): UInt8(ascii: "s"), UInt8(ascii: "7"): UInt8(ascii: "t"),
        UInt8(ascii: "8"): UInt8(ascii: "b"), UInt8(ascii: "@"): UInt8(ascii: "a"), UInt8(ascii: "$"): UInt8(ascii: "s"),
    ]

    public static func normalise(_ input: String) -> NormalisedText {
        // First pass: one folded ASCII character (or a separator) per input character.
        var chars: [(byte: UInt8, origin: Int)] = []
        chars.reserveCapacity(input.utf8.count)
        var offset = 0
        for character in input {
            let width = character.utf8.count
            let folded = fold(character)
            chars.append((folded, offset))
            offset += width
        }
        // Second pass, per word: digits become letters when the word has letters; repeats collapse.
        var bytes: [UInt8] = [UInt8(ascii: " ")]
        var origins: [Int] = [0]
        bytes.reserveCapacity(chars.count + 2)
        origins.reserveCapacity(chars.count + 2)
        var i = 0
        while i < chars.count {
            if chars[i].byte == 0 { i += 1; continue }
            var end = i
            var hasLetter = false
            while end < chars.count && chars[end].byte != 0 {
                if isLetter(chars[end].byte) { hasLetter = true }
                end += 1
            }
            if bytes.last != UInt8(ascii: " ") { bytes.append(UInt8(ascii: " ")); origins.append(chars[i].origin) }
            var previous: UInt8 = 0
            for j in i..<end {
                var byte = chars[j].byte
                if hasLetter, let letter = leet[byte] { byte = letter }
                if !isLetter(byte) && !isDigit(byte) { continue }
                if byte == previous && isLetter(byte) { continue }
                bytes.append(byte)
                origins.append(chars[j].origin)
                previous = byte
            }
            bytes.append(UInt8(ascii: " "))
            origins.append(end < chars.count ? chars[end].origin : offset)
            i = end
        }
        if bytes.count == 1 { bytes.append(UInt8(ascii: " ")); origins.append(offset) }
        // Collapse double spaces left by words that had no letters or digits.
        var outBytes: [UInt8] = []
        var outOrigins: [Int] = []
        outBytes.reserveCapacity(bytes.count)
        outOrigins.reserveCapacity(bytes.count)
        for (k, byte) in bytes.enumerated() where !(byte == UInt8(ascii: " ") && outBytes.last == UInt8(ascii: " ")) {
            outBytes.append(byte)
            outOrigins.append(origins[k])
        }
        return NormalisedText(bytes: outBytes, origins: outOrigins)
    }

    /// A letter or digit folded to ASCII lower case, a leet sign kept for the second pass,
    /// or 0 for a separator. Diacritics go by Unicode decomposition ("é" → "e").
    private static func fold(_ character: Character) -> UInt8 {
        if let ascii = character.asciiValue {
            switch ascii {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return ascii + 32
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii
            case UInt8(ascii: "@"), UInt8(ascii: "$"): return ascii
            // Apostrophes and hyphens join a word ("zelf-moord" and "don't" stay one word).
            case UInt8(ascii: "'"), UInt8(ascii: "-"): return 1
            default: return 0
            }
        }
        if character == "\u{2019}" || character == "\u{2018}" { return 1 }
        for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars where scalar.isASCII {
            let v = UInt8(scalar.value)
            if (65...90).contains(v) { return v + 32 }
            if (97...122).contains(v) { return v }
        }
        if character == "ß" { return UInt8(ascii: "s") }
        return character.isLetter ? UInt8(ascii: "x") : 0
    }

    private static func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
