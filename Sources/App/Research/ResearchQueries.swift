import Fluent
import Foundation
import SQLKit

/// The research side's SQL for studies and consent.
enum ResearchQueries {
    /// The study that runs now (the latest to start, should two overlap).
    static func runningStudy(now: Date, on db: any Database) async throws -> Study? {
        try await Study.query(on: db).filter(\.$startsAt <= now).filter(\.$endsAt > now).sort(\.$startsAt, .descending).first()
    }

    static func consent(of memberID: UUID, in studyID: UUID, on db: any Database) async throws -> ResearchConsent? {
        try await ResearchConsent.query(on: db).filter(\.$memberID == memberID).filter(\.$studyID == studyID).first()
    }

    /// The home page's research cards in one query: whether to ask the member (a running study
    /// they have not answered), and how many questionnaires wait for them (consent holding).
    static func homeCards(_ memberID: UUID, now: Date, on db: any Database) async throws -> (ask: Bool, open: Int) {
        let row = try await (db as! any SQLDatabase).raw(
            """
            SELECT
              (SELECT COUNT(*) FROM studies s
               WHERE s.starts_at <= \(bind: now) AND s.ends_at > \(bind: now)
                 AND NOT EXISTS (SELECT 1 FROM research_consents c WHERE c.study_id = s.id AND c.member_id = \(bind: memberID))) AS ask,
              (SELECT COUNT(*) FROM research_invitations i
               JOIN research_consents c ON c.study_id = i.study_id AND c.member_id = i.member_id
               WHERE i.member_id = \(bind: memberID) AND i.opened_at IS NOT NULL AND i.completed_at IS NULL AND i.closes_at > \(bind: now)
                 AND c.answer = 'yes' AND c.withdrawn_at IS NULL) AS open
            """
        ).first()
        return (try (row?.decode(column: "ask", as: Int.self) ?? 0) > 0, try row?.decode(column: "open", as: Int.self) ?? 0)
    }

    /// Consent figures per study for the researchers' page, in one grouped query: counts only,
    /// never who.
    static func consentCounts(in studyIDs: [UUID], on db: any Database) async throws -> [UUID: (given: Int, notNow: Int, withdrawn: Int)] {
        guard !studyIDs.isEmpty else { return [:] }
        var counts = [UUID: (given: Int, notNow: Int, withdrawn: Int)]()
        for row in try await (db as! any SQLDatabase).raw(
            """
            SELECT study_id,
                   SUM(CASE WHEN answer = 'yes' AND withdrawn_at IS NULL THEN 1 ELSE 0 END) AS given,
                   SUM(CASE WHEN answer = 'not_now' THEN 1 ELSE 0 END) AS not_now,
                   SUM(CASE WHEN withdrawn_at IS NOT NULL THEN 1 ELSE 0 END) AS withdrawn
            FROM research_consents WHERE study_id IN (\(binds: studyIDs)) GROUP BY study_id
            """
        ).all() {
            counts[try row.decode(column: "study_id", as: UUID.self)] = (
                try row.decode(column: "given", as: Int.self), try row.decode(column: "not_now", as: Int.self),
                try row.decode(column: "withdrawn", as: Int.self)
            )
        }
        return counts
    }
}

/// Small cells are suppressed: a figure based on fewer than five members shows "< 5".
enum SmallCells {
    static let threshold = 5
    static func shown(_ count: Int) -> String { count > 0 && count < threshold ? "< \(threshold)" : String(count) }
    static func isSmall(_ count: Int) -> Bool { count > 0 && count < threshold }
    /// A share, suppressed when either count is small (a rate would give the count away).
    static func rate(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        if isSmall(whole) || isSmall(part) { return "< \(threshold)" }
        return "\(Int((Double(part) / Double(whole) * 100).rounded())) %"
    }
}
