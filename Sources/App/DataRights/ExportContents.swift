import Fluent
import Foundation
import SQLKit
import TextRules
import ZIPFoundation

/// Everything stored about one member and everything they wrote, gathered for an export.
/// Each part becomes a JSON file in the ZIP and a section of the readable HTML page.
struct ExportContents: Sendable {
    struct Profile: Codable, Sendable {
        let pseudonym: String
        let email: String
        let realName: String?
        let introduction: String?
        let role: String
        let memberSince: Date
        let twoFactorEnabled: Bool
    }
    struct Settings: Codable, Sendable {
        let language: String?
        let timeZone: String
        /// How often email comes, per kind of notification ("immediately", "daily", …).
        var email: [String: String] = [:]
        /// Quiet hours as "22:00–08:00" in the member's zone, or nil when off.
        var quietHours: String? = nil
        var dailyEmailBudget: Int = NotificationPreferences.defaultBudget
        /// A break from the community, until this moment.
        var breakUntil: Date? = nil
        /// The colour of the member's picture ("auto" for the one that comes with the name).
        var avatar: String = AvatarChoice.auto
    }
    struct WrittenPost: Codable, Sendable {
        let topicID: Int
        let topicTitle: String
        let number: Int
        let markdown: String
        let createdAt: Date
        let editedAt: Date?
        let state: String
        /// Where it was written: `forum`, `news` (a comment), `blog` or `journal` (number 1 is the
        /// entry itself, the rest are comments).
        let place: String
    }
    struct GivenReaction: Codable, Sendable {
        let postID: Int
        let kind: String
        let createdAt: Date
    }
    struct Consent: Codable, Sendable {
        let page: String
        let version: Int
        let acceptedAt: Date
    }
    struct ActionOnMe: Codable, Sendable {
        let kind: String
        let postID: Int?
        let reason: String
        let until: Date?
        let createdAt: Date
    }
    struct Report: Codable, Sendable {
        let postID: Int
        let reason: String
        let note: String
        let createdAt: Date
    }
    /// A private message the member sent or received. Others are named by pseudonym only.
    struct PrivateMessage: Codable, Sendable {
        let conversationID: Int
        /// The writer's pseudonym ("" for someone who left), or nil for the member themselves.
        let from: String?
        let text: String
        let createdAt: Date
    }
    /// The member's part in research: their answers to the request for consent, and their own
    /// questionnaire answers (a member gets everything, free text included).
    struct Research: Codable, Sendable {
        struct StudyConsent: Codable, Sendable {
            let study: String
            let answer: String
            let letterVersion: Int
            let researchEmails: Bool
            let answeredAt: Date
            let withdrawnAt: Date?
        }
        struct Answer: Codable, Sendable {
            let wave: String
            let item: String
            let value: String
            let answeredAt: Date
        }
        var consents: [StudyConsent] = []
        var answers: [Answer] = []
        var isEmpty: Bool { consents.isEmpty && answers.isEmpty }
    }
    struct Plan: Codable, Sendable {
        let warningSigns: String
        let whatHelps: String
        let people: String
        let professionals: String
    }

    var profile: Profile
    var settings: Settings
    var posts: [WrittenPost] = []
    var reactions: [GivenReaction] = []
    var consents: [Consent] = []
    var moderation: [ActionOnMe] = []
    var reports: [Report] = []
    var messages: [PrivateMessage] = []
    var safetyPlan: Plan?
    var research = Research()

    /// The member's own choices: language, zone, notifications and quiet hours, a break, the picture.
    static func settings(of member: Member, on db: any Database) async throws -> Settings {
        let preferences = try await NotificationPreferences.of(try member.requireID(), on: db)
        let clock = { (minute: Int) in String(format: "%02d:%02d", minute / 60, minute % 60) }
        return Settings(
            language: member.locale?.rawValue, timeZone: member.timeZone,
            email: [
                "replies": preferences.emailReplies.rawValue, "mentions": preferences.emailMentions.rawValue,
                "reactions": preferences.emailReactions.rawValue, "moderator": preferences.emailModerator.rawValue,
                "watching": preferences.emailWatching.rawValue, "news": preferences.emailNews.rawValue,
                "messages": preferences.emailMessages.rawValue,
            ],
            quietHours: preferences.quietEnabled ? "\(clock(preferences.quietStart))–\(clock(preferences.quietEnd))" : nil,
            dailyEmailBudget: preferences.dailyBudget, breakUntil: member.breakUntil, avatar: member.avatarColour ?? AvatarChoice.auto)
    }

    /// Reads the member's data step by step, reporting progress (0–90) after each step.
    static func gather(memberID: UUID, on db: any Database, progress: (Int) async throws -> Void) async throws -> ExportContents? {
        guard let member = try await Member.find(memberID, on: db) else { return nil }
        var contents = ExportContents(
            profile: Profile(
                pseudonym: member.pseudonym, email: member.email, realName: member.realName, introduction: member.introduction,
                role: member.role.rawValue, memberSince: member.createdAt, twoFactorEnabled: member.hasTwoFactor),
            settings: try await Self.settings(of: member, on: db))
        let sql = db as! any SQLDatabase
        try await progress(10)

        // Posts with their topic titles: one query, in the order written.
        for row in try await sql.raw(
            """
            SELECT p.topic_id, t.title, t.kind, p.number, p.body_markdown, p.created_at, p.edited_at, p.screening
            FROM posts p JOIN topics t ON t.id = p.topic_id WHERE p.author_id = \(bind: memberID) ORDER BY p.created_at, p.id
            """
        ).all() {
            contents.posts.append(
                WrittenPost(
                    topicID: try row.decode(column: "topic_id", as: Int.self), topicTitle: try row.decode(column: "title", as: String.self),
                    number: try row.decode(column: "number", as: Int.self), markdown: try row.decode(column: "body_markdown", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self), editedAt: try row.decode(column: "edited_at", as: Date?.self),
                    state: try row.decode(column: "screening", as: String.self), place: try row.decode(column: "kind", as: String.self)))
        }
        try await progress(40)

        contents.reactions = try await Reaction.query(on: db).filter(\.$memberID == memberID).sort(\.$createdAt).all()
            .map { GivenReaction(postID: $0.postID, kind: $0.kind.rawValue, createdAt: $0.createdAt) }
        contents.consents = try await PolicyAcceptance.query(on: db).filter(\.$member.$id == memberID).sort(\.$acceptedAt).all()
            .map { Consent(page: $0.pageSlug, version: $0.pageVersion, acceptedAt: $0.acceptedAt) }
        try await progress(60)

        contents.moderation = try await ModerationAction.query(on: db).filter(\.$memberID == memberID).sort(\.$createdAt).all()
            .map { ActionOnMe(kind: $0.kind.rawValue, postID: $0.postID, reason: $0.reason, until: $0.until, createdAt: $0.createdAt) }
        contents.reports = try await Flag.query(on: db).filter(\.$reporterID == memberID).sort(\.$createdAt).all()
            .map { Report(postID: $0.postID, reason: $0.reason.rawValue, note: $0.note, createdAt: $0.createdAt) }
        if let plan = try await SafetyPlan.of(memberID, on: db), !plan.isEmpty {
            contents.safetyPlan = Plan(
                warningSigns: plan.warningSigns, whatHelps: plan.whatHelps, people: plan.people,
                professionals: plan.professionals)
        }
        // Private messages in every conversation the member was in (also those they left).
        for row in try await (db as! any SQLDatabase).raw(
            """
            SELECT m.conversation_id, m.author_id, m.body_markdown, m.created_at, \(unsafeRaw: Member.shownName("a")) AS author
            FROM conversation_members cm JOIN messages m ON m.conversation_id = cm.conversation_id
            LEFT JOIN members a ON a.id = m.author_id
            WHERE cm.member_id = \(bind: memberID) ORDER BY m.conversation_id, m.id
            """
        ).all() {
            let mine = try row.decode(column: "author_id", as: UUID?.self) == memberID
            contents.messages.append(
                PrivateMessage(
                    conversationID: try row.decode(column: "conversation_id", as: Int.self),
                    from: mine ? nil : try row.decode(column: "author", as: String?.self) ?? "",
                    text: try row.decode(column: "body_markdown", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self)))
        }
        for row in try await sql.raw(
            """
            SELECT s.name, c.answer, c.letter_version, c.emails_allowed, c.answered_at, c.withdrawn_at
            FROM research_consents c JOIN studies s ON s.id = c.study_id WHERE c.member_id = \(bind: memberID) ORDER BY c.answered_at
            """
        ).all() {
            contents.research.consents.append(
                Research.StudyConsent(
                    study: try row.decode(column: "name", as: String.self), answer: try row.decode(column: "answer", as: String.self),
                    letterVersion: try row.decode(column: "letter_version", as: Int.self),
                    researchEmails: try row.decode(column: "emails_allowed", as: Bool.self),
                    answeredAt: try row.decode(column: "answered_at", as: Date.self),
                    withdrawnAt: try row.decode(column: "withdrawn_at", as: Date?.self)))
        }
        for row in try await sql.raw(
            """
            SELECT w.code, a.item_code, a.value, a.answered_at FROM questionnaire_answers a
            JOIN research_invitations i ON i.id = a.invitation_id JOIN study_waves w ON w.id = i.wave_id
            WHERE i.member_id = \(bind: memberID) ORDER BY a.answered_at, a.item_code
            """
        ).all() {
            contents.research.answers.append(
                Research.Answer(
                    wave: try row.decode(column: "code", as: String.self), item: try row.decode(column: "item_code", as: String.self),
                    value: try row.decode(column: "value", as: String.self), answeredAt: try row.decode(column: "answered_at", as: Date.self)))
        }
        try await progress(80)
        return contents
    }

    /// The ZIP, streamed to a new file entry by entry: one JSON file per part, and index.html to
    /// read it all in a browser.
    func writeArchive(to url: URL, now: Date, localizer: Localizer, locale: AppLocale) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let archive = try Archive(url: url, accessMode: .create)
        func add(_ name: String, _ content: Data) throws {
            try archive.addEntry(
                with: name, type: .file, uncompressedSize: Int64(content.count), modificationDate: now,
                compressionMethod: .deflate
            ) { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try add("profile.json", try encoder.encode(profile))
        try add("settings.json", try encoder.encode(settings))
        try add("posts.json", try encoder.encode(posts))
        try add("reactions.json", try encoder.encode(reactions))
        try add("consents.json", try encoder.encode(consents))
        try add("moderation.json", try encoder.encode(moderation))
        try add("reports.json", try encoder.encode(reports))
        try add("messages.json", try encoder.encode(messages))
        if let safetyPlan { try add("safety-plan.json", try encoder.encode(safetyPlan)) }
        if !research.isEmpty { try add("research.json", try encoder.encode(research)) }
        try add("index.html", Data(html(now: now, localizer: localizer, locale: locale).utf8))
    }

    /// A plain, self-contained page of the same data.
    func html(now: Date, localizer: Localizer, locale: AppLocale) -> String {
        let t = { (key: String) in HTMLEscaping.text(localizer.text("export.file.\(key)", locale)) }
        let e = HTMLEscaping.text
        let day = { (date: Date) in e(DateFormatting.dayTime(date, locale: locale)) }
        var out = """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(t("title"))</title></head>
            <body style="font-family: sans-serif; line-height: 1.5; max-width: 48rem; margin: 2rem auto;">
            <h1>\(t("title"))</h1>
            <p>\(e(localizer.text("export.file.made", locale, ["date": DateFormatting.dayTime(now, locale: locale)])))</p>
            <h2>\(t("profile"))</h2>
            <dl>
            <dt>\(t("pseudonym"))</dt><dd>\(e(profile.pseudonym))</dd>
            <dt>\(t("email"))</dt><dd>\(e(profile.email))</dd>
            <dt>\(t("real_name"))</dt><dd>\(e(profile.realName ?? "—"))</dd>
            <dt>\(t("introduction"))</dt><dd>\(e(profile.introduction ?? "—"))</dd>
            <dt>\(t("member_since"))</dt><dd>\(day(profile.memberSince))</dd>
            <dt>\(t("language"))</dt><dd>\(e(settings.language ?? "—"))</dd>
            <dt>\(t("time_zone"))</dt><dd>\(e(settings.timeZone))</dd>
            <dt>\(t("email_settings"))</dt><dd>\(e(settings.email.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")))</dd>
            <dt>\(t("quiet_hours"))</dt><dd>\(e(settings.quietHours ?? "—"))</dd>
            <dt>\(t("break_until"))</dt><dd>\(settings.breakUntil.map(day) ?? "—")</dd>
            </dl>
            <h2>\(t("posts")) (\(posts.count))</h2>

            """
        for post in posts {
            out += "<article><h3>\(e(post.topicTitle)) #\(post.number)</h3><p><small>\(t("place_\(post.place)")) · \(day(post.createdAt))</small></p>"
            out += "<pre style=\"white-space: pre-wrap; font-family: inherit;\">\(e(post.markdown))</pre></article>\n"
        }
        out += "<h2>\(t("reactions")) (\(reactions.count))</h2><ul>\n"
        for reaction in reactions { out += "<li>\(e(reaction.kind)) · #\(reaction.postID) · \(day(reaction.createdAt))</li>\n" }
        out += "</ul>\n<h2>\(t("consents"))</h2><ul>\n"
        for consent in consents { out += "<li>\(e(consent.page)) v\(consent.version) · \(day(consent.acceptedAt))</li>\n" }
        out += "</ul>\n<h2>\(t("moderation"))</h2><ul>\n"
        for action in moderation { out += "<li>\(e(action.kind)) · \(day(action.createdAt)) · \(e(action.reason))</li>\n" }
        out += "</ul>\n<h2>\(t("reports"))</h2><ul>\n"
        for report in reports { out += "<li>#\(report.postID) · \(e(report.reason)) · \(day(report.createdAt))</li>\n" }
        out += "</ul>\n<h2>\(t("messages")) (\(messages.count))</h2>\n"
        for message in messages {
            let from = message.from.map { $0.isEmpty ? localizer.text("member.former", locale) : $0 } ?? localizer.text("export.file.you", locale)
            out += "<article><p><small>#\(message.conversationID) · \(e(from)) · \(day(message.createdAt))</small></p>"
            out += "<pre style=\"white-space: pre-wrap; font-family: inherit;\">\(e(message.text))</pre></article>\n"
        }
        if let plan = safetyPlan {
            out += "<h2>\(t("safety_plan"))</h2><dl>\n"
            for (key, text) in [
                ("warning_signs", plan.warningSigns), ("what_helps", plan.whatHelps), ("people", plan.people),
                ("professionals", plan.professionals),
            ] {
                out += "<dt>\(HTMLEscaping.text(localizer.text("safety_plan.\(key)", locale)))</dt><dd>\(e(text))</dd>\n"
            }
            out += "</dl>\n"
        }
        if !research.isEmpty {
            out += "<h2>\(t("research"))</h2><ul>\n"
            for consent in research.consents {
                out += "<li>\(e(consent.study)) · \(e(consent.answer)) · v\(consent.letterVersion) · \(day(consent.answeredAt))"
                if let withdrawn = consent.withdrawnAt { out += " · \(t("research_withdrawn")) \(day(withdrawn))" }
                out += "</li>\n"
            }
            for answer in research.answers {
                out += "<li>\(e(answer.wave)) · \(e(answer.item)): \(e(answer.value)) · \(day(answer.answeredAt))</li>\n"
            }
            out += "</ul>\n"
        }
        return out + "</body></html>\n"
    }
}
