import Foundation

/// Every UI string in Dutch and English, loaded once from Resources/Locales/<locale>.json
/// and Resources/Locales/<locale>/*.json.
public struct Localizer: Sendable {
    private let tables: [AppLocale: [String: Template]]

    public init(tables: [AppLocale: [String: String]]) {
        self.tables = tables.mapValues { $0.mapValues(Template.init) }
    }

    /// Loads `nl.json` and `en.json` from a folder, and then each feature's own strings from
    /// `nl/*.json` and `en/*.json` (so a feature's strings live beside each other, not in one
    /// long file). A key defined twice is an error: one string, one home.
    public static func load(from directory: String) throws -> Localizer {
        var tables = [AppLocale: [String: String]]()
        let folder = URL(fileURLWithPath: directory)
        for locale in AppLocale.allCases {
            var files = [folder.appendingPathComponent("\(locale.rawValue).json")]
            let features = folder.appendingPathComponent(locale.rawValue)
            if let names = try? FileManager.default.contentsOfDirectory(atPath: features.path) {
                files += names.filter { $0.hasSuffix(".json") }.sorted().map { features.appendingPathComponent($0) }
            }
            var table = [String: String]()
            for file in files {
                let strings = try JSONDecoder().decode([String: String].self, from: try Data(contentsOf: file))
                for (key, value) in strings {
                    guard table.updateValue(value, forKey: key) == nil else {
                        throw LocalizerError.duplicateKey(key, file: file.lastPathComponent)
                    }
                }
            }
            tables[locale] = table
        }
        return Localizer(tables: tables)
    }

    /// The string for a key; `{name}` placeholders are filled from `values`.
    /// A missing key shows the key itself (and a test keeps the two files in step).
    public func text(_ key: String, _ locale: AppLocale, _ values: [String: String] = [:]) -> String {
        guard let template = tables[locale]?[key] ?? tables[.en]?[key] else { return key }
        return template.fill(values)
    }

    /// A counted string in its plural form: `key.one` or `key.other` (Dutch and English have
    /// these two forms), or `key.zero` where a table offers a kinder sentence for nothing.
    /// `{count}` is filled with the number written the locale's way ("1.250" in Dutch).
    public func plural(_ key: String, count: Int, _ locale: AppLocale, _ values: [String: String] = [:]) -> String {
        let form = count == 0 && template("\(key).zero", locale) != nil ? "zero" : count == 1 ? "one" : "other"
        guard let template = template("\(key).\(form)", locale) else { return "\(key).\(form)" }
        var values = values
        values["count"] = values["count"] ?? Self.number(count, locale)
        return template.fill(values)
    }

    /// A whole number with the locale's grouping: 12.500 in Dutch, 12,500 in English.
    public static func number(_ value: Int, _ locale: AppLocale) -> String {
        let digits = String(value.magnitude)
        guard digits.count > 3 else { return value < 0 ? "-" + digits : digits }
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(locale == .nl ? "." : ",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    private func template(_ key: String, _ locale: AppLocale) -> Template? {
        tables[locale]?[key] ?? tables[.en]?[key]
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

public enum LocalizerError: Error, CustomStringConvertible {
    case duplicateKey(String, file: String)

    public var description: String {
        switch self {
        case .duplicateKey(let key, let file): "The UI string \(key) is defined twice (again in \(file))."
        }
    }
}
