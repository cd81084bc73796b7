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
    }

    /// Reads the lexicon CSV; defaults to the file in the package's Resources folder.
    public static func load(from path: String? = nil) throws -> [Entry] {
        let file =
            path
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/Triggers/default.csv").path
        return try parse(String(contentsOfFile: file, encoding: .utf8))
    }

    /// pattern,language,kind,actions(space-separated),note — a header line first; no quoting needed.
    public static func parse(_ csv: String) throws -> [Entry] {
        var entries: [Entry] = []
        for (number, line) in csv.split(whereSeparator: \.isNewline).enumerated() where number > 0 {
            let fields = CSV.fields(String(line))
            guard fields.count >= 4, !fields[0].isEmpty else { continue }
            entries.append(
                Entry(
                    pattern: fields[0], language: fields[1], kind: fields[2],
                    actions: fields[3].split(separator: " ").map(String.init),
                    note: fields.count > 4 ? fields[4] : ""))
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
