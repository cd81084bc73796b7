import Fluent
import Foundation
import SQLKit
import TextRules
import ZIPFoundation

/// The pseudonymised export of one study, written a page of rows at a time to files in a
/// private folder and zipped from there, so memory stays flat however large the study:
/// `participants.csv`, `responses.csv`, `participation_weekly.csv`, `codebook.csv` and
/// `README.txt`. Members whose consent does not hold (never given, "not now", withdrawn) are
/// absent. No names, pseudonyms, emails, post or message texts, and free-text answers only for
/// items the researchers marked "include in export".
struct ResearchExport {
    let db: any Database
    let ids: StudyIDs
    let localizer: Localizer
    static let page = 5_000

    struct Counts: Sendable, Equatable {
        var participants = 0
        var responses = 0
        var weeks = 0
    }

    /// Writes the ZIP into `folder` and returns its path with the row counts.
    func write(study: Study, now: Date, into folder: URL) async throws -> (URL, Counts) {
        let studyID = try study.requireID()
        var counts = Counts()
        let participants = try CSVFile(folder.appendingPathComponent("participants.csv"))
        participants.row(["study_id", "join_month", "language", "consent_version", "consent_date"])
        counts.participants = try await forEachPage(
            """
            SELECT c.member_id AS k, m.created_at, m.locale, c.letter_version, c.answered_at FROM research_consents c
            JOIN members m ON m.id = c.member_id
            WHERE c.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL
            """, key: "c.member_id", keyType: UUID.self
        ) { row in
            participants.row([
                ids.id(of: try row.decode(column: "k", as: UUID.self), in: studyID),
                Self.month(try row.decode(column: "created_at", as: Date.self)),
                try row.decode(column: "locale", as: String?.self) ?? "",
                String(try row.decode(column: "letter_version", as: Int.self)),
                Self.day(try row.decode(column: "answered_at", as: Date.self)),
            ])
        }
        try participants.close()

        // Which items each questionnaire version exports, and their codebook entries.
        let questionnaires = try await Questionnaire.query(on: db).filter(\.$studyID == studyID).sort(\.$code).sort(\.$version).all()
        var exported = [UUID: Set<String>]()
        var freeText = [UUID: Set<String>]()
        for q in questionnaires {
            let definition = try q.definition()
            exported[try q.requireID()] = Set(definition.items.filter(\.isExported).map(\.code))
            freeText[try q.requireID()] = Set(definition.items.filter { $0.kind.isFreeText }.map(\.code))
        }
        let responses = try CSVFile(folder.appendingPathComponent("responses.csv"))
        responses.row(["study_id", "wave", "questionnaire", "questionnaire_version", "item_code", "answer", "answered_on"])
        counts.responses = try await forEachPage(
            """
            SELECT a.id AS k, i.member_id, w.code AS wave, q.id AS questionnaire_id, q.code AS questionnaire, q.version, a.item_code, a.value, a.answered_at
            FROM questionnaire_answers a
            JOIN research_invitations i ON i.id = a.invitation_id
            JOIN research_consents c ON c.study_id = i.study_id AND c.member_id = i.member_id
            JOIN study_waves w ON w.id = i.wave_id
            JOIN questionnaires q ON q.id = i.questionnaire_id
            WHERE i.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL
            """, key: "a.id", keyType: UUID.self
        ) { row in
            let questionnaireID = try row.decode(column: "questionnaire_id", as: UUID.self)
            let code = try row.decode(column: "item_code", as: String.self)
            guard exported[questionnaireID]?.contains(code) == true else { return false }
            let value = try row.decode(column: "value", as: String.self)
            responses.row([
                ids.id(of: try row.decode(column: "member_id", as: UUID.self), in: studyID),
                try row.decode(column: "wave", as: String.self), try row.decode(column: "questionnaire", as: String.self),
                String(try row.decode(column: "version", as: Int.self)), code,
                freeText[questionnaireID]?.contains(code) == true ? CSVFile.defused(value) : value,
                Self.day(try row.decode(column: "answered_at", as: Date.self)),
            ])
            return true
        }
        try responses.close()

        let weekly = try CSVFile(folder.appendingPathComponent("participation_weekly.csv"))
        weekly.row(["study_id", "week", "reads", "topics", "replies_to_others", "reactions_given", "reactions_received", "style"])
        counts.weeks = try await forEachPage(
            """
            SELECT w.id AS k, w.member_id, w.week_start, w.reads, w.posts, w.replies_to_others, w.reactions_given, w.reactions_received, w.style
            FROM participation_weekly w
            JOIN research_consents c ON c.member_id = w.member_id
            WHERE c.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL
            """, key: "w.id", keyType: UUID.self
        ) { row in
            weekly.row(
                [
                    ids.id(of: try row.decode(column: "member_id", as: UUID.self), in: studyID),
                    ParticipationStyles.weekLabel(of: try row.decode(column: "week_start", as: Date.self), in: DateFormatting.communityZone),
                ]
                    + (try ["reads", "posts", "replies_to_others", "reactions_given", "reactions_received"].map {
                        String(try row.decode(column: $0, as: Int.self))
                    })
                    + [try row.decode(column: "style", as: String.self)])
        }
        try weekly.close()

        try writeCodebook(questionnaires, to: folder.appendingPathComponent("codebook.csv"))
        try Data(readme(study: study, now: now, counts: counts).utf8).write(to: folder.appendingPathComponent("README.txt"))

        let zip = folder.appendingPathComponent("export.zip")
        let archive = try Archive(url: zip, accessMode: .create)
        for name in ["README.txt", "participants.csv", "responses.csv", "participation_weekly.csv", "codebook.csv"] {
            try archive.addEntry(with: name, relativeTo: folder, compressionMethod: .deflate)
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        return (zip, counts)
    }

    /// Runs `query` a page at a time in the order of `key` (a keyset, never OFFSET); returns
    /// how many rows `write` kept (a `Void` writer keeps every row).
    private func forEachPage<K: Codable & Sendable>(
        _ query: SQLQueryString, key: String, keyType: K.Type, write: (any SQLRow) throws -> Bool
    ) async throws -> Int {
        let sql = db as! any SQLDatabase
        var after: K? = nil
        var kept = 0
        while true {
            var page = query
            if let after { page = page + " AND \(unsafeRaw: key) > \(bind: after)" }
            page = page + " ORDER BY \(unsafeRaw: key) LIMIT \(unsafeRaw: String(Self.page))"
            let rows = try await sql.raw(page).all()
            for row in rows where try write(row) { kept += 1 }
            guard rows.count == Self.page, let last = rows.last else { return kept }
            after = try last.decode(column: "k", as: K.self)
        }
    }

    private func forEachPage<K: Codable & Sendable>(
        _ query: SQLQueryString, key: String, keyType: K.Type, write: (any SQLRow) throws -> Void
    ) async throws -> Int {
        try await forEachPage(query, key: key, keyType: keyType) { (row: any SQLRow) -> Bool in
            try write(row)
            return true
        }
    }

    private func writeCodebook(_ questionnaires: [Questionnaire], to url: URL) throws {
        let book = try CSVFile(url)
        book.row(["file", "column_or_item", "meaning_nl", "meaning_en", "answers_nl", "answers_en"])
        let columns: [(String, String)] = [
            ("participants.csv", "study_id"), ("participants.csv", "join_month"), ("participants.csv", "language"),
            ("participants.csv", "consent_version"), ("participants.csv", "consent_date"), ("responses.csv", "study_id"),
            ("responses.csv", "wave"), ("responses.csv", "questionnaire"), ("responses.csv", "questionnaire_version"),
            ("responses.csv", "item_code"), ("responses.csv", "answer"), ("responses.csv", "answered_on"),
            ("participation_weekly.csv", "study_id"), ("participation_weekly.csv", "week"), ("participation_weekly.csv", "reads"),
            ("participation_weekly.csv", "topics"), ("participation_weekly.csv", "replies_to_others"),
            ("participation_weekly.csv", "reactions_given"), ("participation_weekly.csv", "reactions_received"),
            ("participation_weekly.csv", "style"),
        ]
        for (file, column) in columns {
            let key = "research.codebook.\(file.replacingOccurrences(of: ".csv", with: "")).\(column)"
            book.row([file, column, localizer.text(key, .nl), localizer.text(key, .en), "", ""])
        }
        for q in questionnaires {
            let definition = try q.definition()
            for item in definition.items where item.isExported {
                let labels = { (dutch: Bool) in
                    (item.options ?? []).map { "\($0.value)=\($0.label.text(dutch: dutch))" }.joined(separator: "; ")
                        + (item.kind == .number ? "\(item.min ?? 0)–\(item.max ?? 0)" : "")
                }
                book.row([
                    "responses.csv", "\(q.code) v\(q.version) \(item.code) (\(item.kind.rawValue))", item.text.nl, item.text.en, labels(true),
                    labels(false),
                ])
            }
        }
        try book.close()
    }

    private func readme(study: Study, now: Date, counts: Counts) -> String {
        let t = { (key: String, values: [String: String]) in localizer.text("research.readme.\(key)", .en, values) }
        return [
            t("title", ["study": study.name]),
            t("made", ["date": Self.day(now)]),
            t("counts", ["participants": String(counts.participants), "responses": String(counts.responses), "weeks": String(counts.weeks)]),
            t("ids", [:]), t("left_out", [:]), t("withdrawn", [:]), t("weeks", [:]), t("styles", [:]),
        ].joined(separator: "\n\n") + "\n"
    }

    static func day(_ date: Date) -> String { format(date, "yyyy-MM-dd") }
    static func month(_ date: Date) -> String { format(date, "yyyy-MM") }
    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = DateFormatting.communityZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}

/// A CSV file written a row at a time (RFC 4180 quoting), buffered in small chunks.
final class CSVFile {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        handle = try FileHandle(forWritingTo: url)
    }

    func row(_ fields: [String]) {
        buffer.append(contentsOf: fields.map(Self.quoted).joined(separator: ",").utf8)
        buffer.append(contentsOf: "\r\n".utf8)
        if buffer.count > 64 * 1024 { flush() }
    }

    func close() throws {
        flush()
        try handle.close()
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Words a member typed, made safe to open in a spreadsheet: a leading =, +, - or @ would
    /// be read as a formula.
    static func defused(_ text: String) -> String {
        guard let first = text.first, "=+-@\t\r".contains(first) else { return text }
        return "'" + text
    }
}
