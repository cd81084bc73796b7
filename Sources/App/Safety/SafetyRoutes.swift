import Fluent
import SQLKit
import TextRules
import Vapor

/// The author's support page after a crisis hit, the moderators' alerts, and the trigger rules.
struct SafetyRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireMember()).get("support", use: support)
        let mod = routes.grouped(RequireRole.moderator).grouped("mod")
        mod.get("alerts", use: alerts)
        mod.post("alerts", ":alertID", "acknowledge", use: acknowledge)
        mod.get("triggers", use: triggers)
        mod.post("triggers", "test", use: testText)
        let admin = routes.grouped(RequireRole.admin).grouped("admin", "triggers")
        admin.post(use: addRule)
        admin.post(":ruleID", "toggle", use: toggleRule)
        admin.get("export.csv", use: exportCSV)
        admin.post("import", use: importCSV)
    }

    /// GET /support?topic=&post=: calm words, the crisis help, and (for a held post) when it will be read.
    func support(req: Request) async throws -> Response {
        let viewer = try req.requireMember()
        var held = false
        if let topicID = req.query[Int.self, at: "topic"], let number = req.query[Int.self, at: "post"],
            let post = try await Post.query(on: req.db).filter(\.$topicID == topicID).filter(\.$number == number).first(),
            post.authorID == viewer.id
        {
            held = post.screening == .held
        }
        let help = try await PageVersions.current(.help, locale: req.locale, on: req.db)
        // The member's own plan comes first: their own words are the closest help.
        let plan = try await SafetyPlan.of(try viewer.requireID(), on: req.db).flatMap { $0.isEmpty ? nil : $0 }
        return SupportPage(held: held, helpHTML: help?.bodyHTML ?? "", topicID: req.query[Int.self, at: "topic"], plan: plan).render(req)
    }

    /// GET /mod/alerts: open alerts first, then the last 50 acknowledged, with time to acknowledge.
    func alerts(req: Request) async throws -> Response {
        let open = try await AlertRows.load(open: true, on: req.db)
        let done = try await AlertRows.load(open: false, on: req.db)
        let median = try await AlertRows.medianTimeToAcknowledge(on: req.db, now: req.connect.clock.now())
        return AlertsPage(open: open, done: done, median: median).render(req)
    }

    /// POST /mod/alerts/:alertID/acknowledge with what was done.
    func acknowledge(req: Request) async throws -> Response {
        let me = try req.requireMember()
        guard let id = req.parameters.get("alertID", as: UUID.self), let alert = try await Alert.find(id, on: req.db) else {
            throw AppError.notFound
        }
        let note = ModerationActionRoutes.reason(req)
        guard !note.isEmpty else {
            return req.redirect(to: Paths.modAlert(id: id), flash: Flash(.error, "alerts.error.note"))
        }
        let updated = try await AcknowledgeAlert(context: req.context(as: me)).run(alert, note: note)
        return req.redirect(to: "/mod/alerts", flash: Flash(updated ? .success : .info, updated ? "alerts.acknowledged" : "alerts.already"))
    }

    /// GET /mod/triggers: the rules (admins change them), and a box to test a text.
    func triggers(req: Request) async throws -> Response {
        let rules = try await TriggerRule.query(on: req.db).sort(\.$kind).sort(\.$pattern).all()
        return TriggersPage(rules: rules, me: try req.requireMember()).render(req)
    }

    /// POST /mod/triggers/test: which rules match where, and what the privacy nudge would say.
    func testText(req: Request) async throws -> Response {
        let text = String(((try? req.content.get(String.self, at: "text")) ?? "").prefix(PostForm.bodyLimit))
        let hits = try await req.triggerEngine.scan(text, on: req.db)
        let rules = try await TriggerRule.query(on: req.db).sort(\.$kind).sort(\.$pattern).all()
        var page = TriggersPage(rules: rules, me: try req.requireMember())
        page.testText = text
        page.hits = hits
        page.privacy = PrivacyScanner.scan(text)
        page.tested = true
        return page.render(req)
    }

    /// POST /admin/triggers: a new rule.
    func addRule(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let form = try req.content.decode(TriggerRuleForm.self)
        let errors = form.validate()
        guard errors.isEmpty else {
            var page = TriggersPage(rules: try await TriggerRule.query(on: req.db).sort(\.$kind).sort(\.$pattern).all(), me: me)
            page.form = form
            page.errors = errors
            return page.render(req)
        }
        let now = req.connect.clock.now()
        let rule = form.rule(now: now)
        try await req.db.transaction { db in
            try await rule.create(on: db)
            try await AuditEvent(
                actorID: me.id, action: "trigger.create", subjectMemberID: nil, detail: "", createdAt: now,
                target: "trigger:\(try rule.requireID().uuidString)", after: "\(rule.pattern) [\(rule.kind.rawValue): \(rule.actions)]"
            ).create(on: db)
        }
        return req.redirect(to: "/mod/triggers", flash: Flash(.success, "flash.saved"))
    }

    /// POST /admin/triggers/:ruleID/toggle: switch a rule off or on.
    func toggleRule(req: Request) async throws -> Response {
        let me = try req.requireMember()
        guard let id = req.parameters.get("ruleID", as: UUID.self), let rule = try await TriggerRule.find(id, on: req.db) else {
            throw AppError.notFound
        }
        let now = req.connect.clock.now()
        try await req.db.transaction { db in
            rule.active.toggle()
            rule.updatedAt = now
            try await rule.save(on: db)
            try await AuditEvent(
                actorID: me.id, action: "trigger.toggle", subjectMemberID: nil, detail: "", createdAt: now,
                target: "trigger:\(id.uuidString)", before: rule.active ? "off" : "on", after: rule.active ? "on" : "off"
            ).create(on: db)
        }
        return req.redirect(to: "/mod/triggers", flash: Flash(.success, "flash.saved"))
    }

    /// GET /admin/triggers/export.csv
    func exportCSV(req: Request) async throws -> Response {
        let rules = try await TriggerRule.query(on: req.db).sort(\.$kind).sort(\.$pattern).all()
        var lines = ["pattern,language,kind,actions,note,active"]
        for rule in rules {
            lines.append(CSV.line([rule.pattern, rule.language, rule.kind.rawValue, rule.actions, rule.note, rule.active ? "yes" : "no"]))
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.add(name: .contentDisposition, value: "attachment; filename=\"trigger-rules.csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: lines.joined(separator: "\n") + "\n"))
    }

    /// POST /admin/triggers/import: CSV pasted in a box; new patterns are added, known ones updated.
    func importCSV(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let csv = (try? req.content.get(String.self, at: "csv")) ?? ""
        let entries = (try? DefaultLexicon.parse(csv)) ?? []
        let valid = entries.filter {
            TriggerRuleForm(pattern: $0.pattern, language: $0.language, kind: $0.kind, actions: $0.actions, note: $0.note).validate().isEmpty
        }
        guard !valid.isEmpty, valid.count == entries.count else {
            var page = TriggersPage(rules: try await TriggerRule.query(on: req.db).sort(\.$kind).sort(\.$pattern).all(), me: me)
            page.importText = csv
            page.errors.add("csv", "triggers.error.import")
            return page.render(req)
        }
        let now = req.connect.clock.now()
        try await req.db.transaction { db in
            for entry in valid {
                let rule = try await TriggerRule.query(on: db).filter(\.$pattern == entry.pattern).first() ?? TriggerRule()
                rule.pattern = entry.pattern
                rule.language = entry.language
                rule.kind = TriggerRule.Kind(rawValue: entry.kind) ?? .crisis
                rule.actions = entry.actions.joined(separator: " ")
                rule.note = entry.note
                rule.active = true
                if rule.id == nil { rule.createdAt = now }
                rule.updatedAt = now
                try await rule.save(on: db)
            }
            try await AuditEvent(
                actorID: me.id, action: "trigger.import", subjectMemberID: nil, detail: String(valid.count),
                createdAt: now, target: "triggers"
            ).create(on: db)
        }
        return req.redirect(to: "/mod/triggers", flash: Flash(.success, "triggers.imported"))
    }
}

/// A trigger rule as typed on the rules page (or read from an imported CSV line).
struct TriggerRuleForm: Content {
    var pattern: String?
    var language: String?
    var kind: String?
    var actions: [String]?
    var note: String?

    func validate() -> FormErrors {
        var errors = FormErrors()
        let pattern = (self.pattern ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if pattern.isEmpty || pattern.count > 200 || TriggerMatcher.key(for: pattern).count < 3 { errors.add("pattern", "triggers.error.pattern") }
        if !TriggerRule.languages.contains(language ?? "") { errors.add("language", "triggers.error.language") }
        if TriggerRule.Kind(rawValue: kind ?? "") == nil { errors.add("kind", "triggers.error.kind") }
        let chosen = actions ?? []
        if chosen.isEmpty || chosen.contains(where: { TriggerRule.Action(rawValue: $0) == nil }) {
            errors.add("action-alert", "triggers.error.actions")
        }
        if (note ?? "").count > 500 { errors.add("note", "triggers.error.note") }
        return errors
    }

    func rule(now: Date) -> TriggerRule {
        let rule = TriggerRule()
        rule.pattern = (pattern ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        rule.language = language ?? "any"
        rule.kind = TriggerRule.Kind(rawValue: kind ?? "") ?? .crisis
        rule.actions = (actions ?? []).joined(separator: " ")
        rule.note = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        rule.active = true
        rule.createdAt = now
        rule.updatedAt = now
        return rule
    }
}
