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
    /// Offsets in `bytes` of the words that begin a new sentence (after the first): a full
    /// stop, "!", "?" or a line break ended the one before. An ellipsis ("wil niet... meer")
    /// is a pause, not an end. Rules never match across sentences.
    public var sentenceStarts: [Int] = []

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

public enum TextNormaliser {
    /// Digits and signs that stand in for letters inside a word (0 = none), as a table: a
    /// dictionary lookup per character was the slowest part of a scan.
    private static let leet: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for (sign, letter) in [("0", "o"), ("1", "i"), ("3", "e"), ("4", "a"), ("5", "s"), ("7", "t"), ("8", "b"), ("@", "a"), ("$", "s")] {
            table[Int(Character(sign).asciiValue!)] = Character(letter).asciiValue!
        }
        return table
    }()

    public static func normalise(_ input: String) -> NormalisedText {
        let count = input.utf8.count
        // Buffers written by index (no append bookkeeping per byte) and tables read through
        // local pointers (no lazy-global check per byte): a scan of 20,000 characters must
        // stay far under a millisecond.
        var folded = [UInt8](repeating: 0, count: count)
        var from = [Int](repeating: 0, count: count)
        var bytes = [UInt8](repeating: 0, count: count + 2)
        var origins = [Int](repeating: 0, count: count + 2)
        var foldedCount = 0
        var length = 0
        var sentenceStarts: [Int] = []
        let asciiTable = asciiFold
        let leetTable = leet
        var copy = input
        copy.withUTF8 { utf8 in
            folded.withUnsafeMutableBufferPointer { folded in
                from.withUnsafeMutableBufferPointer { from in
                    asciiTable.withUnsafeBufferPointer { ascii in
                        // First pass: one folded ASCII byte per character (0 separates, 1 joins).
                        var i = 0
                        while i < utf8.count {
                            let lead = utf8[i]
                            if lead < 0x80 {
                                folded[foldedCount] = ascii[Int(lead)] == 0 && endsSentence(utf8, at: i) ? 2 : ascii[Int(lead)]
                                from[foldedCount] = i
                                foldedCount += 1
                                i += 1
                                continue
                            }
                            let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                            var value = UInt32(lead) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                            for k in 1..<width where i + k < utf8.count { value = (value << 6) | (UInt32(utf8[i + k]) & 0x3F) }
                            folded[foldedCount] = foldScalar(value)
                            from[foldedCount] = i
                            foldedCount += 1
                            i += width
                        }
                    }
                    // Second pass, per word: digits read as letters when the word has letters;
                    // repeated letters collapse; one space between words.
                    bytes.withUnsafeMutableBufferPointer { out in
                        origins.withUnsafeMutableBufferPointer { outOrigins in
                            leetTable.withUnsafeBufferPointer { leet in
                                out[0] = 0x20
                                outOrigins[0] = 0
                                length = 1
                                var i = 0
                                var pendingBreak = false
                                while i < foldedCount {
                                    if folded[i] == 0 || folded[i] == 2 {
                                        if folded[i] == 2 && length > 1 { pendingBreak = true }
                                        i += 1
                                        continue
                                    }
                                    var end = i
                                    var hasLetter = false
                                    while end < foldedCount && folded[end] != 0 && folded[end] != 2 {
                                        if isLetter(folded[end]) { hasLetter = true }
                                        end += 1
                                    }
                                    var previous: UInt8 = 0
                                    var wrote = false
                                    for j in i..<end {
                                        var byte = folded[j]
                                        if hasLetter && leet[Int(byte)] != 0 { byte = leet[Int(byte)] }
                                        if !isLetter(byte) && !isDigit(byte) { continue }
                                        if byte == previous && isLetter(byte) { continue }
                                        if !wrote && pendingBreak {
                                            sentenceStarts.append(length)
                                            pendingBreak = false
                                        }
                                        out[length] = byte
                                        outOrigins[length] = from[j]
                                        length += 1
                                        previous = byte
                                        wrote = true
                                    }
                                    if wrote {
                                        out[length] = 0x20
                                        outOrigins[length] = end < foldedCount ? from[end] : count
                                        length += 1
                                    }
                                    i = end
                                }
                            }
                        }
                    }
                }
            }
        }
        bytes.removeLast(bytes.count - length)
        origins.removeLast(origins.count - length)
        return NormalisedText(bytes: bytes, origins: origins, sentenceStarts: sentenceStarts)
    }

    /// Whether the ASCII byte at `i` ends a sentence: "!", "?", a line break, or a single full
    /// stop followed by space, a quote, a bracket or the end ("..." and "2.5" do not).
    private static func endsSentence(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        switch utf8[i] {
        case UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: "\n"): return true
        case UInt8(ascii: "."):
            if i > 0 && utf8[i - 1] == UInt8(ascii: ".") { return false }
            guard i + 1 < utf8.count else { return true }
            switch utf8[i + 1] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                UInt8(ascii: ")"):
                return true
            default: return false
            }
        default: return false
        }
    }

    /// ASCII folding: letters to lower case, digits and leet signs kept, apostrophes and hyphens
    /// join a word ("zelf-moord", "don't"), everything else separates.
    private static let asciiFold: [UInt8] = (0..<128).map { code in
        let ascii = UInt8(code)
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return ascii + 32
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii
        case UInt8(ascii: "@"), UInt8(ascii: "$"): return ascii
        case UInt8(ascii: "'"), UInt8(ascii: "-"): return 1
        default: return 0
        }
    }

    /// Latin letters with diacritics (U+00C0–U+024F) folded to their base letter, computed once.
    private static let latinFold: [UInt8] = (0xC0...0x24F).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return 0 }
        if value == 0xDF { return UInt8(ascii: "s") }  // ß
        for part in String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars where part.isASCII {
            let v = UInt8(part.value)
            if (65...90).contains(v) { return v + 32 }
            if (97...122).contains(v) { return v }
        }
        return scalar.properties.isAlphabetic ? UInt8(ascii: "x") : 0
    }

    private static func foldScalar(_ value: UInt32) -> UInt8 {
        if value >= 0xC0 && value <= 0x24F { return latinFold[Int(value - 0xC0)] }
        if value == 0x2018 || value == 0x2019 { return 1 }
        if let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic { return UInt8(ascii: "x") }
        return 0
    }

    private static func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
