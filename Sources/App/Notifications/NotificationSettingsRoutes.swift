import Fluent
import SQLKit
import Vapor

/// The member's say over how much the community reaches out: email per kind, quiet hours,
/// the daily budget, being shown topics that wait for a reply, and taking a break.
struct NotificationSettingsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("settings", "notifications", use: show)
        members.post("settings", "notifications", use: save)
        members.get("settings", "break", use: breakForm)
        members.post("settings", "break", use: startBreak)
        members.post("settings", "break", "end", use: endBreak)
        members.get("away", use: away)
    }

    /// GET /settings/notifications
    func show(req: Request) async throws -> Response {
        let member = try req.requireMember()
        return NotificationSettingsPage(prefs: try await NotificationPreferences.of(member.requireID(), on: req.db)).render(req)
    }

    /// POST /settings/notifications: every field is checked; a bad one comes back with the rest as typed.
    func save(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let prefs = try await NotificationPreferences.of(member.requireID(), on: req.db)
        var errors = FormErrors()
        for channel in NotificationPreferences.Channel.allCases {
            // A channel the form did not send (a page from before it existed) keeps its value.
            guard let raw = try? req.content.get(String.self, at: "email_\(channel.rawValue)") else { continue }
            if let frequency = NotificationPreferences.Frequency(rawValue: raw), channel.frequencies.contains(frequency) {
                prefs.set(frequency, for: channel)
            } else {
                errors.add("email_\(channel.rawValue)", "notify_settings.error.frequency")
            }
        }
        prefs.quietEnabled = (try? req.content.get(String.self, at: "quiet_enabled")) == "on"
        let start = (try? req.content.get(String.self, at: "quiet_start")) ?? ""
        let end = (try? req.content.get(String.self, at: "quiet_end")) ?? ""
        if let minutes = Self.minutes(start) { prefs.quietStart = minutes } else { errors.add("quiet_start", "notify_settings.error.time") }
        if let minutes = Self.minutes(end) { prefs.quietEnd = minutes } else { errors.add("quiet_end", "notify_settings.error.time") }
        let budget = (try? req.content.get(String.self, at: "daily_budget")).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let budget, NotificationPreferences.budgetRange.contains(budget) {
            prefs.dailyBudget = budget
        } else {
            errors.add("daily_budget", "notify_settings.error.budget")
        }
        let responder = (try? req.content.get(String.self, at: "responder")) == "on"
        guard errors.isEmpty else {
            return NotificationSettingsPage(
                prefs: prefs, errors: errors,
                typed: [
                    "quiet_start": start, "quiet_end": end,
                    "daily_budget": (try? req.content.get(String.self, at: "daily_budget")) ?? "",
                ],
                responder: responder
            ).render(req)
        }
        // Being shown topics that wait for a reply lives on the member row (the home page reads it).
        let responderChanged = responder != (member.responderSince != nil)
        if responderChanged { member.responderSince = responder ? req.connect.clock.now() : nil }
        try await req.db.transaction { db in
            try await prefs.save(on: db)
            if responderChanged { try await member.save(on: db) }
        }
        return req.redirect(to: "/settings/notifications", flash: Flash(.success, "flash.saved"))
    }

    /// "22:00" → 1320; nil for anything else.
    static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    /// GET /settings/break
    func breakForm(req: Request) async throws -> Response {
        BreakPage().render(req)
    }

    /// POST /settings/break: a day, a week, or until a chosen date (at most a year).
    func startBreak(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let now = req.connect.clock.now()
        let length = (try? req.content.get(String.self, at: "length")) ?? ""
        let dateText = (try? req.content.get(String.self, at: "until")) ?? ""
        var until: Date?
        var errors = FormErrors()
        switch length {
        case "day": until = now.addingTimeInterval(86_400)
        case "week": until = now.addingTimeInterval(7 * 86_400)
        case "until":
            until = Self.endOfDay(dateText, zone: member.zone)
            if until == nil {
                errors.add("until", "break.error.date")
            } else if until! <= now || until! > now.addingTimeInterval(366 * 86_400) {
                errors.add("until", "break.error.range")
                until = nil
            }
        default: errors.add("length-day", "break.error.length")
        }
        guard errors.isEmpty, let until else { return BreakPage(length: length, until: dateText, errors: errors).render(req) }
        member.breakUntil = until
        member.breakStartedAt = now
        try await member.save(on: req.db)
        return req.redirect(to: "/", flash: Flash(.success, "break.started"))
    }

    /// "2026-12-24" → the end of that day in the member's time zone.
    static func endOfDay(_ text: String, zone: TimeZone) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let start = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            calendar.component(.day, from: start) == parts[2]
        else { return nil }
        return calendar.date(byAdding: .day, value: 1, to: start)
    }

    /// POST /settings/break/end: back now; "while you were away" comes next.
    func endBreak(req: Request) async throws -> Response {
        let member = try req.requireMember()
        if member.isOnBreak(at: req.connect.clock.now()) {
            member.breakUntil = req.connect.clock.now()
            try await member.save(on: req.db)
        }
        return req.redirect(to: "/away")
    }

    /// GET /away: a short summary of what happened during the break instead of a pile of
    /// unread items; shown once, after which those notifications count as seen.
    func away(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let now = req.connect.clock.now()
        let next = LocalPath.sanitise(req.query[String.self, at: "next"])
        guard let since = member.breakStartedAt, !member.isOnBreak(at: now) else { return req.redirect(to: next) }
        let memberID = try member.requireID()
        let sql = req.db as! any SQLDatabase
        let summary = try await AwaySummary.load(memberID: memberID, since: since, on: sql)
        try await req.db.transaction { db in
            try await Notification.query(on: db).filter(\.$memberID == memberID).filter(\.$readAt == nil)
                .filter(\.$updatedAt >= since).set(\.$readAt, to: now).update()
            try await Member.query(on: db).filter(\.$id == memberID).set(\.$breakStartedAt, to: nil).set(\.$breakUntil, to: nil).update()
        }
        req.storage[UnreadNotificationsKey.self] = max(0, (req.storage[UnreadNotificationsKey.self] ?? 0) - summary.notifications)
        // The break has ended: the cached session must not send the member here again.
        req.forgetCachedSession()
        return AwayPage(summary: summary, since: since, next: next).render(req)
    }
}
