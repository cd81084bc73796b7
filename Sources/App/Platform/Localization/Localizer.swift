import Foundation

/// Every UI string in Dutch and English, loaded once from Resources/Locales/<locale>.json.
public struct Localizer: Sendable {
    private let tables: [AppLocale: [String: Template]]

    public init(tables: [AppLocale: [String: String]]) {
        self.tables = tables.mapValues { $0.mapValues(Template.init) }
    }

    /// Loads `nl.json` and `en.json` from a folder.
    public static func load(from directory: String) throws -> Localizer {
        var tables = [AppLocale: [String: String]]()
        for locale in AppLocale.allCases {
            let url = URL(fileURLWithPath: directory).appendingPathComponent("\(locale.rawValue).json")
            let data = try Data(contentsOf: url)
            tables[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return Localizer(tables: tables)
    }

    /// The string for a key; `{name}` placeholders are filled from `values`.
    /// A missing key shows the key itself (and a test keeps the two files in step).
    public func text(_ key: String, _ locale: AppLocale, _ values: [String: String] = [:]) -> String {
        guard let template = tables[locale]?[key] ?? tables[.en]?[key] else { return key }
        return template.fill(values)
    }

    public func keys(_ locale: AppLocale) -> Set<String> {
        Set(tables[locale]?.keys.map { $0 } ?? [])
    }
}

/// A UI string split once, at load time, into literal text and `{name}` placeholders, so
/// filling it is concatenation (Foundation's replacingOccurrences was 14% of a list page).
struct Template: Sendable {
    enum Part: Sendable {
        case literal(String)
        case placeholder(String)
    }

    let parts: [Part]

    init(_ string: String) {
        var parts = [Part]()
        var rest = Substring(string)
        while let open = rest.firstIndex(of: "{"),
            let close = rest[open...].firstIndex(of: "}")
        {
            let name = rest[rest.index(after: open)..<close]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                // Not a placeholder (a stray brace): keep it as text and look further on.
                parts.append(.literal(String(rest[...open])))
                rest = rest[rest.index(after: open)...]
                continue
            }
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            parts.append(.placeholder(String(name)))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    /// The text with each placeholder replaced by its value; unknown placeholders stay as written.
    func fill(_ values: [String: String]) -> String {
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .placeholder(let name): out += values[name] ?? "{\(name)}"
            }
        }
        return out
    }
}
