import Fluent
import TextRules
import Vapor

/// A study's set-up for researchers and admins: its schedule, its questionnaires (built in the
/// browser or imported as JSON, and exported again), and its pseudonymised export.
struct StudyRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let researchers = routes.grouped(RequireRole.researcher).grouped("research")
        researchers.get("studies", ":studyID", use: show)
        researchers.post("studies", ":studyID", "waves", use: saveWaves)
        researchers.post("studies", ":studyID", "questionnaires", use: importQuestionnaire)
        researchers.get("studies", ":studyID", "export.zip", use: export)
        researchers.get("questionnaires", ":questionnaireFile", use: questionnaire)
        researchers.post("questionnaires", ":questionnaireID", "items", use: build)
        researchers.post("questionnaires", ":questionnaireID", "items", ":code", "delete", use: deleteItem)
    }

    /// GET /research/studies/:id
    func show(req: Request) async throws -> Response {
        try await page(req, study: try await study(req)).render(req)
    }

    /// POST /research/studies/:id/waves: the rows as typed, or the standard schedule.
    func saveWaves(req: Request) async throws -> Response {
        let researcher = try req.requireMember()
        let study = try await study(req)
        let studyID = try study.requireID()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let waves: [StudyWave]?
        if let use = form["use"], use.hasPrefix("standard:") {
            waves = StudyWave.standard(studyID: studyID, questionnaire: String(use.dropFirst("standard:".count)))
        } else {
            waves = StudyPage.waves(from: form, studyID: studyID)
        }
        let codes = Set(try await QuestionnaireQueries.latestVersions(in: studyID, on: req.db).map(\.code))
        var error: String? = nil
        if let waves, waves.allSatisfy({ codes.contains($0.questionnaireCode) }) {
            switch try await SaveWaves(context: req.context(as: researcher)).run(waves, in: study) {
            case .saved: return req.redirect(to: Paths.researchStudy(id: studyID), flash: Flash(.success, "flash.saved"))
            case .invalid(let key): error = key
            }
        } else {
            error = waves == nil ? "research.error.wave_numbers" : "research.error.wave_questionnaire"
        }
        var page = try await page(req, study: study)
        page.typed = form
        page.scheduleError = error
        return page.render(req)
    }

    /// POST /research/studies/:id/questionnaires: a new (empty) questionnaire, or an import from
    /// a JSON file or pasted JSON.
    func importQuestionnaire(req: Request) async throws -> Response {
        let researcher = try req.requireMember()
        let study = try await study(req)
        struct Upload: Content {
            var _form: String?
            var file: File?
            var json: String?
            var code: String?
            var title_nl: String?
            var title_en: String?
        }
        let upload = (try? req.content.decode(Upload.self)) ?? Upload()
        let definition: QuestionnaireDefinition
        var typedText = upload.json ?? ""
        if upload._form == "new" {
            let clean = { (s: String?) in (s ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            definition = QuestionnaireDefinition(
                code: clean(upload.code), title: .init(nl: clean(upload.title_nl), en: clean(upload.title_en)), sections: [])
            if let existing = try await QuestionnaireQueries.latest(code: definition.code, in: study.requireID(), on: req.db) {
                return req.redirect(to: Paths.researchQuestionnaire(id: try existing.requireID()), flash: Flash(.info, "flash.questionnaire_exists"))
            }
        } else {
            var data = Data((upload.json ?? "").utf8)
            if let file = upload.file, file.data.readableBytes > 0 {
                data = Data(file.data.readableBytesView)
                typedText = String(decoding: data.prefix(QuestionnaireDefinition.maxJSONBytes), as: UTF8.self)
            }
            do {
                definition = try QuestionnaireDefinition.decode(data)
            } catch {
                var page = try await page(req, study: study)
                page.importText = typedText
                page.importErrors = [req.pageContext.t("research.error.json")]
                return page.render(req)
            }
        }
        switch try await SaveQuestionnaire(context: req.context(as: researcher)).run(definition, in: study) {
        case .saved(let id, _):
            return req.redirect(to: Paths.researchQuestionnaire(id: id), flash: Flash(.success, "flash.saved"))
        case .invalid(let problems):
            var page = try await page(req, study: study)
            page.importText = typedText
            page.typed =
                upload._form == "new" ? ["code": upload.code ?? "", "title_nl": upload.title_nl ?? "", "title_en": upload.title_en ?? ""] : nil
            page.importErrors = Self.describe(problems, req)
            return page.render(req)
        }
    }

    /// GET /research/questionnaires/:id (the builder) or /research/questionnaires/:id.json (the file).
    func questionnaire(req: Request) async throws -> Response {
        let raw = req.parameters.get("questionnaireFile") ?? ""
        let json = raw.hasSuffix(".json")
        guard let id = UUID(uuidString: json ? String(raw.dropLast(5)) : raw) else { throw AppError.notFound }
        let (study, questionnaire) = try await load(req, id: id)
        let definition = try questionnaire.definition()
        if json {
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(definition.code)-v\(questionnaire.version).json\"")
            return Response(status: .ok, headers: headers, body: .init(data: definition.encoded()))
        }
        return QuestionnaireBuilderPage(study: study, questionnaire: questionnaire, definition: definition).render(req)
    }

    /// POST /research/questionnaires/:id/items with `_form` details, section, item or json.
    func build(req: Request) async throws -> Response {
        let researcher = try req.requireMember()
        guard let id = req.parameters.get("questionnaireID", as: UUID.self) else { throw AppError.notFound }
        let (study, questionnaire) = try await load(req, id: id)
        var definition = try questionnaire.definition()
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let which = form["_form"] ?? ""
        var errors = [String]()
        let t = req.pageContext.t
        switch which {
        case "section":
            let clean = { (key: String) in (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            definition.sections.append(
                .init(code: clean("section_code"), title: .init(nl: clean("section_title_nl"), en: clean("section_title_en")), items: []))
        case "item":
            switch ItemForm(form).item() {
            case .success(let item):
                if let index = definition.sections.firstIndex(where: { $0.code == form["item_section"] }) {
                    definition.sections[index].items.append(item)
                } else {
                    errors.append(t("research.error.item_section"))
                }
            case .failure(let problem): errors.append(t(problem.key))
            }
        case "json":
            do { definition = try QuestionnaireDefinition.decode(Data((form["definition"] ?? "").utf8)) } catch {
                errors.append(t("research.error.json"))
            }
            if definition.code != questionnaire.code { errors.append(t("research.error.code_changed")) }
        default:
            throw Abort(.badRequest)
        }
        if errors.isEmpty {
            switch try await SaveQuestionnaire(context: req.context(as: researcher)).run(definition, in: study) {
            case .saved(let savedID, _):
                return req.redirect(to: Paths.researchQuestionnaire(id: savedID), flash: Flash(.success, "flash.saved"))
            case .invalid(let problems): errors = Self.describe(problems, req)
            }
        }
        return QuestionnaireBuilderPage(
            study: study, questionnaire: questionnaire, definition: try questionnaire.definition(), typed: form, errors: errors, refusedForm: which
        ).render(req)
    }

    /// POST /research/questionnaires/:id/items/:code/delete
    func deleteItem(req: Request) async throws -> Response {
        let researcher = try req.requireMember()
        guard let id = req.parameters.get("questionnaireID", as: UUID.self), let code = req.parameters.get("code") else { throw AppError.notFound }
        let (study, questionnaire) = try await load(req, id: id)
        var definition = try questionnaire.definition()
        for index in definition.sections.indices { definition.sections[index].items.removeAll { $0.code == code } }
        guard case .saved(let savedID, _) = try await SaveQuestionnaire(context: req.context(as: researcher)).run(definition, in: study) else {
            return req.redirect(to: Paths.researchQuestionnaire(id: id), flash: Flash(.error, "flash.not_saved"))
        }
        return req.redirect(to: Paths.researchQuestionnaire(id: savedID), flash: Flash(.success, "flash.saved"))
    }

    /// GET /research/studies/:id/export.zip: written to a private folder, recorded in the audit
    /// log with its row counts, streamed, and removed once sent.
    func export(req: Request) async throws -> Response {
        let researcher = try req.requireMember()
        let study = try await study(req)
        try await req.rateLimiter.hit(
            "research-export:member:\(try researcher.requireID().uuidString)", req.connect.config.rateLimits.researchExportsPerMember)
        let result = try await ExportStudy(context: req.context(as: researcher)).run(study)
        let folder = result.folder
        let response = req.fileio.streamFile(at: result.zip.path, mediaType: .zip) { _ in
            try? FileManager.default.removeItem(at: folder)
        }
        let day = ResearchExport.day(req.connect.clock.now())
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"study-export-\(day).zip\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    // MARK: -

    private func study(_ req: Request) async throws -> Study {
        guard let id = req.parameters.get("studyID", as: UUID.self), let study = try await Study.find(id, on: req.db) else { throw AppError.notFound }
        return study
    }

    private func load(_ req: Request, id: UUID) async throws -> (Study, Questionnaire) {
        guard let questionnaire = try await Questionnaire.find(id, on: req.db), let study = try await Study.find(questionnaire.studyID, on: req.db)
        else { throw AppError.notFound }
        return (study, questionnaire)
    }

    private func page(_ req: Request, study: Study) async throws -> StudyPage {
        let studyID = try study.requireID()
        return StudyPage(
            study: study, waves: try await QuestionnaireQueries.waves(of: studyID, on: req.db),
            figures: try await QuestionnaireQueries.responseFigures(of: studyID, on: req.db),
            questionnaires: try await QuestionnaireQueries.latestVersions(in: studyID, on: req.db))
    }

    static func describe(_ problems: [QuestionnaireDefinition.Problem], _ req: Request) -> [String] {
        let t = req.pageContext.t
        var seen = Set<String>()
        return problems.compactMap { problem in
            let line = t(problem.key) + (problem.place == "questionnaire" ? "" : " (\(problem.place))")
            return seen.insert(line).inserted ? line : nil
        }
    }
}

/// The builder's item form, read into an item (checked as a whole by `problems()` on save).
struct ItemForm {
    let form: [String: String]
    init(_ form: [String: String]) { self.form = form }

    struct Problem: Error { let key: String }

    func item() -> Result<QuestionnaireDefinition.Item, Problem> {
        let clean = { (key: String) in (form[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let kind = QuestionnaireDefinition.ItemKind(rawValue: clean("item_kind")) else {
            return .failure(Problem(key: "research.error.item_kind"))
        }
        var options: [QuestionnaireDefinition.Option]? = nil
        if kind.hasOptions {
            var parsed = [QuestionnaireDefinition.Option]()
            // One option per line: "value | Dutch label | English label".
            for line in clean("item_options").split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 3, let value = Int(parts[0]) else { return .failure(Problem(key: "research.error.item_options")) }
                parsed.append(.init(value: value, label: .init(nl: parts[1], en: parts[2])))
            }
            options = parsed
        }
        func number(_ key: String) -> Result<Int?, Problem> {
            let raw = clean(key)
            if raw.isEmpty { return .success(nil) }
            guard let value = Int(raw) else { return .failure(Problem(key: "research.error.item_number")) }
            return .success(value)
        }
        guard case .success(let min) = number("item_min"), case .success(let max) = number("item_max"),
            case .success(let threshold) = number("item_threshold")
        else { return .failure(Problem(key: "research.error.item_number")) }
        return .success(
            .init(
                code: clean("item_code"), kind: kind, text: .init(nl: clean("item_text_nl"), en: clean("item_text_en")),
                required: form["item_optional"] != "on", options: options, min: min, max: max, safetyThreshold: threshold,
                includeInExport: form["item_export"] == "on" ? true : nil))
    }
}
