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
    /// Members per page.
    static let page = 500

    struct Counts: Sendable, Equatable {
        var participants = 0
        var responses = 0
        var weeks = 0
    }

    /// Writes the ZIP into `folder` and returns its path with the row counts.
    ///
    /// Page by page of consenting members (a keyset on the member, 500 at a time): their
    /// participant rows, then their weekly rows and their answers through the indexes by
    /// member, so every query reads only what it writes and no page sorts the whole study.
    func write(study: Study, now: Date, into folder: URL) async throws -> (URL, Counts) {
        let studyID = try study.requireID()
        let sql = db as! any SQLDatabase
        var counts = Counts()
        let participants = try CSVFile(folder.appendingPathComponent("participants.csv"))
        participants.row(["study_id", "join_month", "language", "consent_version", "consent_date"])
        let responses = try CSVFile(folder.appendingPathComponent("responses.csv"))
        responses.row(["study_id", "wave", "questionnaire", "questionnaire_version", "item_code", "answer", "answered_on"])
        let weekly = try CSVFile(folder.appendingPathComponent("participation_weekly.csv"))
        weekly.row(["study_id", "week", "reads", "topics", "replies_to_others", "reactions_given", "reactions_received", "style"])

        // Which items each questionnaire version exports (free text only when marked).
        let questionnaires = try await Questionnaire.query(on: db).filter(\.$studyID == studyID).sort(\.$code).sort(\.$version).all()
        var exported = [UUID: Set<String>]()
        var freeText = [UUID: Set<String>]()
        for q in questionnaires {
            let definition = try q.definition()
            exported[try q.requireID()] = Set(definition.items.filter(\.isExported).map(\.code))
            freeText[try q.requireID()] = Set(definition.items.filter { $0.kind.isFreeText }.map(\.code))
        }

        var after: UUID? = nil
        while true {
            let keyset: SQLQueryString = after.map { " AND c.member_id > \(bind: $0)" } ?? ""
            let page = try await sql.raw(
                """
                SELECT c.member_id, m.created_at, m.locale, c.letter_version, c.answered_at FROM research_consents c
                JOIN members m ON m.id = c.member_id
                WHERE c.study_id = \(bind: studyID) AND c.answer = 'yes' AND c.withdrawn_at IS NULL\(keyset)
                ORDER BY c.member_id LIMIT \(unsafeRaw: String(Self.page))
                """
            ).all()
            guard !page.isEmpty else { break }
            var members = [UUID]()
            var studyIDs = [UUID: String]()
            for row in page {
                let member = try row.decode(column: "member_id", as: UUID.self)
                let pseudonymised = ids.id(of: member, in: studyID)
                members.append(member)
                studyIDs[member] = pseudonymised
                participants.row([
                    pseudonymised, Self.month(try row.decode(column: "created_at", as: Date.self)),
                    try row.decode(column: "locale", as: String?.self) ?? "", String(try row.decode(column: "letter_version", as: Int.self)),
                    Self.day(try row.decode(column: "answered_at", as: Date.self)),
                ])
            }
            counts.participants += page.count

            for row in try await sql.raw(
                """
                SELECT i.member_id, w.code AS wave, q.id AS questionnaire_id, q.code AS questionnaire, q.version, a.item_code, a.value, a.answered_at
                FROM research_invitations i
                JOIN questionnaire_answers a ON a.invitation_id = i.id
                JOIN study_waves w ON w.id = i.wave_id
                JOIN questionnaires q ON q.id = i.questionnaire_id
                WHERE i.study_id = \(bind: studyID) AND i.member_id IN (\(binds: members))
                ORDER BY i.member_id, w.position, a.item_code
                """
            ).all() {
                let questionnaireID = try row.decode(column: "questionnaire_id", as: UUID.self)
                let code = try row.decode(column: "item_code", as: String.self)
                guard exported[questionnaireID]?.contains(code) == true else { continue }
                let value = try row.decode(column: "value", as: String.self)
                responses.row([
                    studyIDs[try row.decode(column: "member_id", as: UUID.self)] ?? "",
                    try row.decode(column: "wave", as: String.self), try row.decode(column: "questionnaire", as: String.self),
                    String(try row.decode(column: "version", as: Int.self)), code,
                    freeText[questionnaireID]?.contains(code) == true ? CSVFile.defused(value) : value,
                    Self.day(try row.decode(column: "answered_at", as: Date.self)),
                ])
                counts.responses += 1
            }

            for row in try await sql.raw(
                """
                SELECT member_id, week_start, reads, posts, replies_to_others, reactions_given, reactions_received, style
                FROM participation_weekly WHERE member_id IN (\(binds: members)) ORDER BY member_id, week_start
                """
            ).all() {
                weekly.row(
                    [
                        studyIDs[try row.decode(column: "member_id", as: UUID.self)] ?? "",
                        ParticipationStyles.weekLabel(of: try row.decode(column: "week_start", as: Date.self), in: DateFormatting.communityZone),
                    ]
                        + (try ["reads", "posts", "replies_to_others", "reactions_given", "reactions_received"].map {
                            String(try row.decode(column: $0, as: Int.self))
                        })
                        + [try row.decode(column: "style", as: String.self)])
                counts.weeks += 1
            }
            guard page.count == Self.page else { break }
            after = members.last
        }
        try participants.close()
        try responses.close()
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
