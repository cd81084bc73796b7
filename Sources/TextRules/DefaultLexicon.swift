import Foundation

/// The trigger words written for this community (Resources/Triggers/default.csv), seeded into
/// the database on first migration and kept here for tests.
public enum DefaultLexicon {
    public struct Entry: Sendable, Equatable {
        public let pattern: String
        public let language: String
        public let kind: String
        public let actions: [String]
        public let note: String
        /// Patterns that cancel a match near them (the idioms and negations that govern it).
        public let exceptions: [String]
        public let active: Bool

        public init(
            pattern: String, language: String, kind: String, actions: [String], note: String, exceptions: [String] = [], active: Bool = true
        ) {
            self.pattern = pattern
            self.language = language
            self.kind = kind
            self.actions = actions
            self.note = note
            self.exceptions = exceptions
            self.active = active
        }
    }

    /// Reads the lexicon CSV; defaults to the file in the package's Resources folder.
    public static func load(from path: String? = nil) throws -> [Entry] {
        let file =
            path
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/Triggers/default.csv").path
        return try FileCache.shared.value(for: file, kind: "lexicon") { try parse(String(contentsOfFile: file, encoding: .utf8)) }
    }

    /// A header line names the columns: pattern, language, kind, actions (space-separated) and
    /// optionally note, exceptions (separated by ";") and active (yes/no), in any order.
    /// Without a header the first four columns are taken in that order.
    public static func parse(_ csv: String) throws -> [Entry] {
        var entries: [Entry] = []
        let lines = csv.split(whereSeparator: \.isNewline)
        guard let header = lines.first else { return [] }
        let names = CSV.fields(String(header)).map { $0.lowercased() }
        let hasHeader = names.contains("pattern")
        let columns = hasHeader ? names : ["pattern", "language", "kind", "actions", "note", "exceptions", "active"]
        func index(_ name: String) -> Int? { columns.firstIndex(of: name) }
        for line in lines.dropFirst(hasHeader ? 1 : 0) {
            let fields = CSV.fields(String(line))
            func field(_ name: String) -> String { index(name).flatMap { $0 < fields.count ? fields[$0] : nil } ?? "" }
            guard fields.count >= 4, !field("pattern").isEmpty else { continue }
            entries.append(
                Entry(
                    pattern: field("pattern"), language: field("language"), kind: field("kind"),
                    actions: field("actions").split(separator: " ").map(String.init), note: field("note"),
                    exceptions: field("exceptions").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                    active: field("active").lowercased() != "no"))
        }
        return entries
    }
}

/// The little CSV this project reads and writes: commas, and double quotes around fields
/// that hold commas or quotes (a quote inside is doubled).
public enum CSV {
    public static func fields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line).makeIterator()
        var pending: Character? = nil
        while let char = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if char == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            current.append("\"")
                        } else {
                            quoted = false
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(char)
                }
            } else if char == "\"" {
                quoted = true
            } else if char == "," {
                fields.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(char)
            }
        }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    public static func line(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",")
    }
}

/// Files read often and changed rarely (the lexicon and the evaluation set: every database
/// migration and every test reads them), parsed once per change of the file.
final class FileCache: @unchecked Sendable {
    static let shared = FileCache()
    private let lock = NSLock()
    private var entries: [String: (modified: Date, size: Int, value: Any)] = [:]

    func value<T>(for path: String, kind: String, parse: () throws -> T) throws -> T {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let key = kind + ":" + path
        if let cached = lock.withLock({ entries[key] }), cached.modified == modified, cached.size == size, let value = cached.value as? T {
            return value
        }
        let value = try parse()
        lock.withLock { entries[key] = (modified, size, value) }
        return value
    }
}
