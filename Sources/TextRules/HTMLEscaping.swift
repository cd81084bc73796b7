/// Escaping for HTML text and attribute values.
///
/// Plot escapes text nodes but keeps existing entities and does not escape attribute
/// values at all, so every string that reaches a page goes through these functions.
public enum HTMLEscaping {
    /// Escapes a string for use as HTML text content.
    public static func text(_ string: String) -> String {
        escape(string, quotes: false)
    }

    /// Escapes a string for use inside a double-quoted attribute value.
    public static func attribute(_ string: String) -> String {
        escape(string, quotes: true)
    }

    private static func escape(_ string: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for ch in string.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
