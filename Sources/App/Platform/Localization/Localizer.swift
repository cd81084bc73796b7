import Foundation

/// Every UI string in Dutch and English, loaded once from Resources/Locales/<locale>.json.
public struct Localizer: Sendable {
    private let tables: [AppLocale: [String: String]]

    public init(tables: [AppLocale: [String: String]]) {
        self.tables = tables
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
        var string = tables[locale]?[key] ?? tables[.en]?[key] ?? key
        for (name, value) in values {
            string = string.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return string
    }

    public func keys(_ locale: AppLocale) -> Set<String> {
        Set(tables[locale]?.keys.map { $0 } ?? [])
    }
}
