/// The script (writing system) a letter belongs to, for the one-script-per-name rule.
///
/// Swift does not expose the Unicode Script property, so this is a table of the blocks
/// of the scripts people write names in (after Unicode's Scripts.txt, by block). A letter
/// outside them gets a script of its own per block of 128 code points: unknown scripts still
/// cannot be mixed with each other or with a known one.
public enum WritingScript: Hashable, Sendable {
    case latin, greek, cyrillic, armenian, georgian, hebrew, arabic, syriac, thaana, nko
    case devanagari, bengali, gurmukhi, gujarati, oriya, tamil, telugu, kannada, malayalam, sinhala
    case thai, lao, tibetan, myanmar, khmer, mongolian, ethiopic, cherokee, canadianSyllabics
    case hangul, hiragana, katakana, bopomofo, han, yi, lisu, vai, tifinagh
    case other(block: UInt32)

    /// The script of a letter or digit; nil for the digits 0–9, which go with any script.
    public static func of(_ scalar: Unicode.Scalar) -> WritingScript? {
        let value = scalar.value
        if (0x30...0x39).contains(value) { return nil }
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.first { high = middle - 1 } else if value > range.last { low = middle + 1 } else { return range.script }
        }
        return .other(block: value >> 7)
    }

    /// Whether letters of these scripts may share a name: one script, or the combinations in
    /// which Chinese, Japanese and Korean are written (UTS #39's "highly restrictive" sets).
    public static func mayShareAName(_ scripts: Set<WritingScript>) -> Bool {
        if scripts.count <= 1 { return true }
        let combinations: [Set<WritingScript>] = [[.han, .hiragana, .katakana], [.han, .bopomofo], [.han, .hangul]]
        return combinations.contains { scripts.isSubset(of: $0) }
    }

    /// Sorted, non-overlapping.
    static let ranges: [(first: UInt32, last: UInt32, script: WritingScript)] = [
        (0x0041, 0x005A, .latin), (0x0061, 0x007A, .latin), (0x00AA, 0x00AA, .latin), (0x00BA, 0x00BA, .latin),
        (0x00C0, 0x024F, .latin), (0x0250, 0x02AF, .latin), (0x02B0, 0x02FF, .latin),
        (0x0370, 0x03FF, .greek), (0x0400, 0x052F, .cyrillic), (0x0530, 0x058F, .armenian), (0x0590, 0x05FF, .hebrew),
        (0x0600, 0x06FF, .arabic), (0x0700, 0x074F, .syriac), (0x0750, 0x077F, .arabic), (0x0780, 0x07BF, .thaana),
        (0x07C0, 0x07FF, .nko), (0x0860, 0x086F, .syriac), (0x0870, 0x08FF, .arabic),
        (0x0900, 0x097F, .devanagari), (0x0980, 0x09FF, .bengali), (0x0A00, 0x0A7F, .gurmukhi), (0x0A80, 0x0AFF, .gujarati),
        (0x0B00, 0x0B7F, .oriya), (0x0B80, 0x0BFF, .tamil), (0x0C00, 0x0C7F, .telugu), (0x0C80, 0x0CFF, .kannada),
        (0x0D00, 0x0D7F, .malayalam), (0x0D80, 0x0DFF, .sinhala), (0x0E00, 0x0E7F, .thai), (0x0E80, 0x0EFF, .lao),
        (0x0F00, 0x0FFF, .tibetan), (0x1000, 0x109F, .myanmar), (0x10A0, 0x10FF, .georgian), (0x1100, 0x11FF, .hangul),
        (0x1200, 0x139F, .ethiopic), (0x13A0, 0x13FF, .cherokee), (0x1400, 0x167F, .canadianSyllabics),
        (0x1780, 0x17FF, .khmer), (0x1800, 0x18AF, .mongolian), (0x18B0, 0x18FF, .canadianSyllabics),
        (0x1C80, 0x1C8F, .cyrillic), (0x1C90, 0x1CBF, .georgian), (0x1D00, 0x1D25, .latin), (0x1D26, 0x1D2A, .greek),
        (0x1D2B, 0x1D2B, .cyrillic), (0x1D2C, 0x1D5C, .latin), (0x1D5D, 0x1D61, .greek), (0x1D62, 0x1D65, .latin),
        (0x1D66, 0x1D6A, .greek), (0x1D6B, 0x1D77, .latin), (0x1D78, 0x1D78, .cyrillic), (0x1D79, 0x1DBE, .latin),
        (0x1DBF, 0x1DBF, .greek), (0x1E00, 0x1EFF, .latin), (0x1F00, 0x1FFF, .greek),
        (0x2071, 0x2071, .latin), (0x207F, 0x207F, .latin), (0x2090, 0x209C, .latin), (0x2C60, 0x2C7F, .latin),
        (0x2D00, 0x2D2F, .georgian), (0x2D30, 0x2D7F, .tifinagh),
        (0x2D80, 0x2DDF, .ethiopic), (0x2DE0, 0x2DFF, .cyrillic),
        (0x3005, 0x3007, .han), (0x3021, 0x3029, .han), (0x3031, 0x3035, .hiragana), (0x3038, 0x303B, .han),
        (0x3041, 0x309F, .hiragana), (0x30A0, 0x30FF, .katakana), (0x3100, 0x312F, .bopomofo), (0x3131, 0x318F, .hangul),
        (0x31A0, 0x31BF, .bopomofo), (0x31F0, 0x31FF, .katakana), (0x3400, 0x4DBF, .han), (0x4E00, 0x9FFF, .han),
        (0xA000, 0xA4CF, .yi), (0xA4D0, 0xA4FF, .lisu), (0xA500, 0xA63F, .vai), (0xA640, 0xA69F, .cyrillic),
        (0xA700, 0xA7FF, .latin), (0xA8E0, 0xA8FF, .devanagari), (0xA960, 0xA97F, .hangul), (0xAB30, 0xAB6F, .latin),
        (0xAB70, 0xABBF, .cherokee), (0xAC00, 0xD7FF, .hangul), (0xF900, 0xFAFF, .han), (0xFB00, 0xFB06, .latin),
        (0xFB13, 0xFB17, .armenian), (0xFB1D, 0xFB4F, .hebrew), (0xFB50, 0xFDFF, .arabic), (0xFE70, 0xFEFF, .arabic),
        (0xFF21, 0xFF3A, .latin), (0xFF41, 0xFF5A, .latin), (0xFF66, 0xFF9F, .katakana), (0xFFA0, 0xFFDC, .hangul),
        (0x20000, 0x323AF, .han),
    ]
}
