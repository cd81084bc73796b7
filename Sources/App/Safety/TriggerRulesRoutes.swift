import Fluent
import TextRules
import Vapor

/// The trigger rules page (moderators read and test; admins add, change, preview, switch off,
/// import and export) and the admins' list of the moderators' feedback on the rules.
struct TriggerRulesRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let mod = routes.grouped(RequireRole.moderator).grouped("mod", "triggers")
        mod.get(use: rulesPage)
        mod.post("test", use: testText)
        let admin = routes.grouped(RequireRole.admin).grouped("admin", "triggers")
        admin.get { req in req.redirect(to: Paths.modTriggers) }
        admin.post(use: addRule)
        admin.get("export.csv", use: exportCSV)
        admin.post("import", use: importCSV)
        admin.get("feedback", use: feedbackPage)
        admin.post("feedback", use: handleFeedback)
        admin.get(":ruleID", use: editPage)
        admin.post(":ruleID", use: changeRule)
        admin.post(":ruleID", "toggle", use: toggleRule)
    }

    /// The page with its rules, their figures on the evaluation set, and the feedback count.
    private func page(_ req: Request) async throws -> TriggersPage {
        let me = try req.requireMember()
        let rules = try await TriggerRule.query(on: req.db).sort(\.$kind).sort(\.$pattern).all()
        let sentences = try await TriggerQueries(db: req.db).evaluationSentences()
        let engine = req.triggerEngine
        let evaluation = TriggerEvaluationRun(try await engine.compiledRules(on: req.db), on: sentences)
        var page = TriggersPage(rules: rules, me: me, evaluation: evaluation)
        page.modelThreshold = engine.model?.threshold
        if Guardian.canAdminister(me) { page.openFeedback = try await TriggerQueries(db: req.db).openFeedbackCount() }
        return page
    }

    /// GET /mod/triggers (`?text=` fills the test box, as the feedback list links to it)
    func rulesPage(req: Request) async throws -> Response {
        var page = try await page(req)
        if let text = req.query[String.self, at: "text"] { page.testText = String(text.prefix(PostForm.bodyLimit)) }
        return page.render(req)
    }

    /// POST /mod/triggers/test: which rules fire on which words and why, which exceptions held
    /// one back, what the learned signal thinks, and what the privacy nudge would say.
    func testText(req: Request) async throws -> Response {
        let text = String(((try? req.content.get(String.self, at: "text")) ?? "").prefix(PostForm.bodyLimit))
        var page = try await page(req)
        page.testText = text
        page.scan = try await req.triggerEngine.scan(text, on: req.db)
        page.privacy = PrivacyScanner.scan(text)
        page.tested = true
        return page.render(req)
    }

    /// POST /admin/triggers: preview or save a new rule.
    func addRule(req: Request) async throws -> Response {
        try await saveOrPreview(req, editing: nil)
    }

    /// GET /admin/triggers/:ruleID: change a rule.
    func editPage(req: Request) async throws -> Response {
        let rule = try await findRule(req)
        var page = try await page(req)
        page.editing = rule
        page.form = TriggerRuleForm(rule)
        return page.render(req)
    }

    /// POST /admin/triggers/:ruleID: preview or save a change.
    func changeRule(req: Request) async throws -> Response {
        try await saveOrPreview(req, editing: try await findRule(req))
    }

    private func saveOrPreview(_ req: Request, editing: TriggerRule?) async throws -> Response {
        let me = try req.requireMember()
        let form = try req.content.decode(TriggerRuleForm.self)
        let errors = form.validate()
        let preview = (try? req.content.get(String.self, at: "_form")) == "preview"
        guard errors.isEmpty, !preview else {
            var page = try await page(req)
            page.editing = editing
            page.form = form
            page.errors = errors
            if errors.isEmpty {
                let draft = form.rule(now: req.connect.clock.now(), into: editing.map(TriggerRule.copy) ?? TriggerRule())
                page.preview = TriggerRulePreview(
                    current: page.rules, draft: draft, sentences: try await TriggerQueries(db: req.db).evaluationSentences())
            }
            return page.render(req)
        }
        let before = editing.map(SaveTriggerRule.summary)
        let rule = form.rule(now: req.connect.clock.now(), into: editing ?? TriggerRule())
        try await SaveTriggerRule(context: req.context(as: me)).run(rule, before: before)
        // Back to the rule itself in the list (the page holds hundreds).
        return req.redirect(to: Paths.modTriggers(showing: rule.pattern), flash: Flash(.success, "flash.saved"))
    }

    /// POST /admin/triggers/:ruleID/toggle: switch a rule off or on.
    func toggleRule(req: Request) async throws -> Response {
        let rule = try await findRule(req)
        try await ToggleTriggerRule(context: req.context(as: try req.requireMember())).run(rule)
        return req.redirect(to: Paths.modTriggers, flash: Flash(.success, "flash.saved"))
    }

    private func findRule(_ req: Request) async throws -> TriggerRule {
        guard let id = req.parameters.get("ruleID", as: UUID.self), let rule = try await TriggerRule.find(id, on: req.db) else {
            throw AppError.notFound
        }
        return rule
    }

    /// GET /admin/triggers/export.csv: every rule, in the format the import and the repository's
    /// files use.
    func exportCSV(req: Request) async throws -> Response {
        let rules = try await TriggerRule.query(on: req.db).sort(\.$kind).sort(\.$pattern).all()
        var lines = ["pattern,language,kind,actions,exceptions,note,active"]
        for rule in rules {
            lines.append(
                CSV.line([
                    rule.pattern, rule.language, rule.kind.rawValue, rule.actions, rule.exceptionList.joined(separator: "; "), rule.note,
                    rule.active ? "yes" : "no",
                ]))
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
            TriggerRuleForm(
                pattern: $0.pattern, language: $0.language, kind: $0.kind, actions: $0.actions, note: $0.note,
                exceptions: $0.exceptions.joined(separator: "\n")
            ).validate().isEmpty
        }
        guard !valid.isEmpty, valid.count == entries.count else {
            var page = try await page(req)
            page.importText = csv
            page.errors.add("csv", "triggers.error.import")
            return page.render(req)
        }
        try await ImportTriggerRules(context: req.context(as: me)).run(valid)
        return req.redirect(to: Paths.modTriggers, flash: Flash(.success, "triggers.imported"))
    }

    // MARK: The moderators' feedback

    /// POST /mod/posts/:postID with `_form=trigger-feedback` (the post's moderation page).
    static func recordFeedback(req: Request, post: Post, author: Member?) async throws -> Response {
        let me = try req.requireMember()
        guard let kind = TriggerFeedback.Kind(rawValue: (try? req.content.get(String.self, at: "kind")) ?? "") else {
            return req.redirect(to: Paths.modPost(post) + "#trigger-feedback-form", flash: Flash(.error, "triggers.feedback.error_kind"))
        }
        let keep = (try? req.content.get(String.self, at: "keep")) != nil
        try await RecordTriggerFeedback(context: req.context(as: me)).run(post: post, author: author, kind: kind, keepText: keep)
        return req.redirect(to: Paths.modPost(post), flash: Flash(.success, "triggers.feedback.thanks"))
    }

    /// GET /admin/triggers/feedback
    func feedbackPage(req: Request) async throws -> Response {
        TriggerFeedbackPage(entries: try await TriggerQueries(db: req.db).openFeedback()).render(req)
    }

    /// POST /admin/triggers/feedback with `item` and `_form` add or dismiss.
    func handleFeedback(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let queries = TriggerQueries(db: req.db)
        guard let id = (try? req.content.get(String.self, at: "item")).flatMap(UUID.init(uuidString:)),
            let entry = try await queries.feedback(id: id)
        else { throw AppError.notFound }
        let service = HandleTriggerFeedback(context: req.context(as: me))
        let outcome: HandleTriggerFeedback.Outcome
        switch (try? req.content.get(String.self, at: "_form")) ?? "" {
        case "dismiss":
            outcome = try await service.dismiss(entry)
        case "add":
            let key = id.uuidString
            let text = ((try? req.content.get(String.self, at: "text")) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let label = (try? req.content.get(String.self, at: "label-\(key)")).flatMap(EvaluationSentence.Label.init(rawValue:))
            let language = (try? req.content.get(String.self, at: "language-\(key)")).flatMap { ["nl", "en"].contains($0) ? $0 : nil }
            var errors = FormErrors()
            if text.isEmpty || text.count > 2_000 { errors.add("text-\(key)", "triggers.feedback.error_text") }
            if label == nil { errors.add("label-\(key)-\(EvaluationSentence.Label.crisis.rawValue)", "triggers.feedback.error_label") }
            if language == nil { errors.add("language-\(key)", "triggers.error.language") }
            guard errors.isEmpty, let label, let language else {
                var page = TriggerFeedbackPage(entries: try await queries.openFeedback())
                page.errors = errors
                page.failed = (id, text, label?.rawValue, language)
                return page.render(req)
            }
            let topic = entry.kind == .missed ? "moderator-missed" : "moderator-false-alarm"
            outcome = try await service.add(entry, as: EvaluationSentence(language: language, label: label, topic: topic, text: text))
        default:
            throw Abort(.badRequest)
        }
        return req.redirect(
            to: Paths.adminTriggerFeedback,
            flash: Flash(outcome == .done ? .success : .info, outcome == .done ? "flash.saved" : "triggers.feedback.already"))
    }
}

/// A trigger rule as typed on the rules page (or read from an imported CSV line).
struct TriggerRuleForm: Content {
    var pattern: String?
    var language: String?
    var kind: String?
    var actions: [String]?
    var note: String?
    /// One exception per line.
    var exceptions: String?

    init(
        pattern: String? = nil, language: String? = nil, kind: String? = nil, actions: [String]? = nil, note: String? = nil,
        exceptions: String? = nil
    ) {
        self.pattern = pattern
        self.language = language
        self.kind = kind
        self.actions = actions
        self.note = note
        self.exceptions = exceptions
    }

    init(_ rule: TriggerRule) {
        self.init(
            pattern: rule.pattern, language: rule.language, kind: rule.kind.rawValue, actions: rule.actionSet.map(\.rawValue), note: rule.note,
            exceptions: rule.exceptionList.joined(separator: "\n"))
    }

    func validate() -> FormErrors {
        var errors = FormErrors()
        let pattern = (self.pattern ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try TriggerPattern.parse(pattern)
        } catch {
            errors.add("pattern", error.key)
        }
        for exception in TriggerRule.exceptionList(exceptions ?? "") {
            do {
                _ = try TriggerRuleSet.Exception.parse(exception)
            } catch {
                errors.add("exceptions", error.key)
            }
        }
        if (exceptions ?? "").count > 4_000 { errors.add("exceptions", "triggers.error.exceptions_length") }
        if !TriggerRule.languages.contains(language ?? "") { errors.add("language", "triggers.error.language") }
        if TriggerRule.Kind(rawValue: kind ?? "") == nil { errors.add("kind", "triggers.error.kind") }
        let chosen = actions ?? []
        if chosen.isEmpty || chosen.contains(where: { TriggerRule.Action(rawValue: $0) == nil }) {
            errors.add("action-alert", "triggers.error.actions")
        }
        if (note ?? "").count > 500 { errors.add("note", "triggers.error.note") }
        return errors
    }

    /// The form's values written into `rule` (a new one, or one being changed).
    func rule(now: Date, into rule: TriggerRule = TriggerRule()) -> TriggerRule {
        rule.pattern = (pattern ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        rule.language = language ?? "any"
        rule.kind = TriggerRule.Kind(rawValue: kind ?? "") ?? .crisis
        rule.actions = TriggerRule.Action.allCases.map(\.rawValue).filter { (actions ?? []).contains($0) }.joined(separator: " ")
        rule.note = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        rule.exceptions = TriggerRule.exceptionList(exceptions ?? "").joined(separator: "\n")
        if rule.id == nil {
            rule.active = true
            rule.createdAt = now
        }
        rule.updatedAt = now
        return rule
    }
}
