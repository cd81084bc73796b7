import Plot
import TextRules
import Vapor

/// GET /research/studies/:id: the study's schedule with its response figures, its
/// questionnaires (build, import, export) and the pseudonymised export. Counts only.
struct StudyPage {
    let study: Study
    let waves: [StudyWave]
    let figures: [UUID: QuestionnaireQueries.WaveFigures]
    let questionnaires: [Questionnaire]
    /// The schedule form as typed, when it was refused.
    var typed: [String: String]? = nil
    var scheduleError: String? = nil
    var importText = ""
    var importErrors = [String]()

    static let extraRows = 2

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let id = study.id!
        let refused = scheduleError != nil || !importErrors.isEmpty
        return req.page(study.name, status: refused ? .unprocessableEntity : .ok) {
            El("p") { El("a", ["href": Paths.researchStudies]) { T(t("research.studies_title")) } }
            El("h1") { T(study.name) }
            El("p", ["class": "muted"]) {
                T(DateFormatting.day(study.startsAt, locale: c.locale) + " – " + DateFormatting.day(study.lastDay, locale: c.locale))
            }
            El("p", ["class": "lead"]) { T(study.description(c.locale)) }
            El("p") {
                El("a", ["class": "button button-secondary", "id": "figures-link", "href": Paths.research(study: id)]) {
                    T(t("research.figures_title"))
                }
            }

            El("h2", ["id": "schedule-heading"]) { T(t("research.schedule")) }
            if waves.isEmpty {
                El("p", ["class": "muted", "id": "no-waves"]) { T(t("research.no_waves")) }
            } else {
                El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-labelledby": "schedule-heading"]) {
                    El("table", ["id": "waves"]) {
                        El("caption") { T(t("research.schedule_caption")) }
                        El("thead") {
                            El("tr") {
                                for key in [
                                    "research.wave", "research.questionnaire", "research.opens", "research.window", "research.invited",
                                    "research.completed", "research.rate",
                                ] {
                                    El("th", ["scope": "col"]) { T(t(key)) }
                                }
                            }
                        }
                        El("tbody") {
                            for wave in waves {
                                let f = wave.id.flatMap { figures[$0] }
                                El("tr") {
                                    El("th", ["scope": "row"]) { T(wave.name(c.locale)) }
                                    El("td") { T(wave.questionnaireCode) }
                                    El("td") { T(Self.offset(wave, t: t)) }
                                    El("td") {
                                        T(t("research.days", count: wave.windowDays))
                                    }
                                    El("td") { T(SmallCells.shown(f?.invited ?? 0)) }
                                    El("td") { T(SmallCells.shown(f?.completed ?? 0)) }
                                    El("td") { T(SmallCells.rate(f?.completed ?? 0, of: f?.invited ?? 0)) }
                                }
                            }
                        }
                    }
                }
            }
            scheduleForm(c)

            El("h2", ["id": "questionnaires-heading"]) { T(t("research.questionnaires")) }
            if questionnaires.isEmpty {
                El("p", ["class": "muted", "id": "no-questionnaires"]) { T(t("research.no_questionnaires")) }
            } else {
                El("ul", ["id": "questionnaires"]) {
                    for q in questionnaires {
                        El("li") {
                            El("a", ["href": Paths.researchQuestionnaire(id: q.id!)]) { T(q.title(c.locale)) }
                            T(" · \(q.code) · " + t("research.version", ["version": String(q.version)]))
                            T(" · " + t(q.frozenAt == nil ? "research.draft" : "research.frozen"))
                        }
                    }
                }
            }
            El("h3", ["id": "new-questionnaire-heading"]) { T(t("research.new_questionnaire")) }
            El(
                "form",
                [
                    "id": "new-questionnaire-form", "class": "stack-form", "method": "post", "action": Paths.researchImport(study: id),
                    "novalidate": "",
                ]
            ) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "_form", "value": "new"])
                TextFieldRow(
                    id: "code", type: "text", label: t("research.questionnaire_code"), hint: t("research.code_hint"), value: typed?["code"] ?? "",
                    maxLength: 40)
                TextFieldRow(id: "title_nl", type: "text", label: t("research.title_nl"), value: typed?["title_nl"] ?? "", maxLength: 200)
                TextFieldRow(id: "title_en", type: "text", label: t("research.title_en"), value: typed?["title_en"] ?? "", maxLength: 200)
                SubmitRow(id: "new-questionnaire-submit", label: t("research.create_questionnaire"))
            }
            El("h3", ["id": "import-heading"]) { T(t("research.import")) }
            if !importErrors.isEmpty {
                El("div", ["class": "form-errors", "role": "alert", "id": "form-errors", "tabindex": "-1"]) {
                    El("h2") { T(t("form.errors_title")) }
                    El("ul") { for line in importErrors { El("li") { T(line) } } }
                }
            }
            El(
                "form",
                [
                    "id": "import-form", "class": "stack-form", "method": "post", "action": Paths.researchImport(study: id),
                    "enctype": "multipart/form-data", "novalidate": "",
                ]
            ) {
                CSRFField(token: c.csrfToken)
                El("div", ["class": "field"]) {
                    El("label", ["for": "file"]) { T(t("research.import_file")) }
                    VoidEl("input", ["type": "file", "id": "file", "name": "file", "accept": "application/json,.json"])
                }
                TextAreaRow(
                    id: "json", label: t("research.import_json"), hint: t("research.import_hint"), value: importText, required: false, rows: 8)
                SubmitRow(id: "import-submit", label: t("research.import_submit"))
            }

            El("h2", ["id": "export-heading"]) { T(t("research.export")) }
            El("p") { T(t("research.export_lead")) }
            El("p") {
                El("a", ["class": "button button-primary", "id": "export-link", "href": Paths.researchExport(study: id), "download": ""]) {
                    T(t("research.export_download"))
                }
            }
        }
    }

    static func offset(_ wave: StudyWave, t: Translator) -> String {
        if wave.offsetMonths == 0 && wave.offsetDays == 0 { return t("research.at_consent") }
        var parts = [String]()
        if wave.offsetMonths > 0 { parts.append("+\(wave.offsetMonths) " + t(wave.offsetMonths == 1 ? "research.month" : "research.months")) }
        if wave.offsetDays > 0 { parts.append("+\(wave.offsetDays) " + t(wave.offsetDays == 1 ? "research.day" : "research.days_word")) }
        return parts.joined(separator: " ")
    }

    /// Folded away once there is a schedule: changing it is rare, reading it is not.
    private func scheduleForm(_ c: PageContext) -> Component {
        let open = waves.isEmpty || scheduleError != nil
        return El("details", ["class": "schedule-details", "id": "schedule-details", "open": open ? "" : nil]) {
            El("summary") { T(c.t(waves.isEmpty ? "research.set_schedule" : "research.change_schedule")) }
            scheduleFields(c)
        }
    }

    /// The schedule as rows of fields: the waves there are, and two empty rows for new ones.
    private func scheduleFields(_ c: PageContext) -> Component {
        let t = c.t
        let codes = questionnaires.map(\.code)
        let rows = waves.count + Self.extraRows
        func value(_ row: Int, _ field: String, _ stored: String?) -> String { typed?["wave-\(row)-\(field)"] ?? stored ?? "" }
        return El(
            "form",
            ["id": "schedule-form", "class": "stack-form", "method": "post", "action": Paths.researchWaves(study: study.id!), "novalidate": ""]
        ) {
            CSRFField(token: c.csrfToken)
            if let scheduleError { El("p", ["class": "field-error", "id": "schedule-error", "role": "alert"]) { T(t(scheduleError)) } }
            El("p", ["class": "hint"]) { T(t("research.schedule_hint")) }
            for row in 0..<rows {
                let wave = row < waves.count ? waves[row] : nil
                El("fieldset", ["class": "wave-row"]) {
                    El("legend") { T(wave.map { $0.name(c.locale) } ?? t("research.new_wave")) }
                    TextFieldRow(
                        id: "wave-\(row)-code", type: "text", label: t("research.wave_code"), value: value(row, "code", wave?.code), required: false,
                        maxLength: 40)
                    TextFieldRow(
                        id: "wave-\(row)-name_nl", type: "text", label: t("research.name_nl"), value: value(row, "name_nl", wave?.nameNL),
                        required: false, maxLength: 80)
                    TextFieldRow(
                        id: "wave-\(row)-name_en", type: "text", label: t("research.name_en"), value: value(row, "name_en", wave?.nameEN),
                        required: false, maxLength: 80)
                    SelectRow(
                        id: "wave-\(row)-questionnaire", label: t("research.questionnaire"), options: [("", "—")] + codes.map { ($0, $0) },
                        selected: value(row, "questionnaire", wave?.questionnaireCode))
                    TextFieldRow(
                        id: "wave-\(row)-months", type: "number", label: t("research.offset_months"),
                        value: value(row, "months", wave.map { String($0.offsetMonths) }), required: false)
                    TextFieldRow(
                        id: "wave-\(row)-days", type: "number", label: t("research.offset_days"),
                        value: value(row, "days", wave.map { String($0.offsetDays) }), required: false)
                    TextFieldRow(
                        id: "wave-\(row)-window", type: "number", label: t("research.window_days"),
                        value: value(row, "window", wave.map { String($0.windowDays) }), required: false)
                    TextFieldRow(
                        id: "wave-\(row)-reminder", type: "number", label: t("research.reminder_days"), hint: t("research.reminder_hint"),
                        value: value(row, "reminder", wave.map { $0.reminderDays.map(String.init) ?? "" }), required: false)
                }
            }
            El("div", ["class": "form-actions"]) {
                El("button", ["id": "schedule-submit", "class": "button button-primary", "type": "submit", "name": "use", "value": "rows"]) {
                    T(t("research.save_schedule"))
                }
                if let first = codes.first {
                    El(
                        "button",
                        [
                            "id": "schedule-standard", "class": "button button-secondary", "type": "submit", "name": "use",
                            "value": "standard:\(first)",
                        ]
                    ) {
                        T(t("research.standard_schedule", ["questionnaire": first]))
                    }
                }
            }
        }
    }

    /// Reads the schedule form back into waves; nil rows (no code) are left out.
    static func waves(from form: [String: String], studyID: UUID) -> [StudyWave]? {
        var waves = [StudyWave]()
        for row in 0..<(12 + extraRows) {
            let field = { (name: String) in (form["wave-\(row)-\(name)"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
            let code = field("code")
            guard !code.isEmpty else { continue }
            guard let months = Int(field("months").isEmpty ? "0" : field("months")), let days = Int(field("days").isEmpty ? "0" : field("days")),
                let window = Int(field("window")), !field("questionnaire").isEmpty
            else { return nil }
            let reminder = field("reminder").isEmpty ? nil : Int(field("reminder"))
            if !field("reminder").isEmpty && reminder == nil { return nil }
            let nl = field("name_nl").isEmpty ? code : String(field("name_nl").prefix(80))
            let en = field("name_en").isEmpty ? code : String(field("name_en").prefix(80))
            waves.append(
                StudyWave(
                    studyID: studyID, position: waves.count, code: code, nl: nl, en: en, questionnaire: field("questionnaire"), months: months,
                    days: days, window: window, reminder: reminder))
        }
        return waves
    }
}

/// GET /research/questionnaires/:id: one version, shown as members will see it, with the
/// builder's forms (details, a section, an item), removing items, and the whole as JSON.
struct QuestionnaireBuilderPage {
    let study: Study
    let questionnaire: Questionnaire
    let definition: QuestionnaireDefinition
    var typed: [String: String] = [:]
    var errors = [String]()
    /// Which form was refused (details, section, item, json).
    var refusedForm: String? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let dutch = c.locale == .nl
        let id = questionnaire.id!
        let action = Paths.researchQuestionnaireItems(id: id)
        func v(_ form: String, _ field: String, _ stored: String = "") -> String { refusedForm == form ? typed[field] ?? stored : stored }
        return req.page(definition.title.text(dutch: dutch), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("p") { El("a", ["href": Paths.researchStudy(id: study.id!)]) { T(study.name) } }
            El("h1") { T(definition.title.text(dutch: dutch)) }
            El("p", ["class": "muted", "id": "questionnaire-version"]) {
                T("\(definition.code) · " + t("research.version", ["version": String(questionnaire.version)]) + " · ")
                T(t(questionnaire.frozenAt == nil ? "research.draft" : "research.frozen"))
            }
            if questionnaire.frozenAt != nil { El("p", ["class": "callout", "id": "frozen-notice"]) { T(t("research.frozen_hint")) } }
            if !errors.isEmpty {
                El("div", ["class": "form-errors", "role": "alert", "id": "form-errors", "tabindex": "-1"]) {
                    El("h2") { T(t("form.errors_title")) }
                    El("ul") { for line in errors { El("li") { T(line) } } }
                }
            }
            El("p") {
                El("a", ["class": "button button-secondary", "id": "json-export", "href": Paths.researchQuestionnaireJSON(id: id), "download": ""]) {
                    T(t("research.export_json"))
                }
            }
            if definition.sections.isEmpty { El("p", ["class": "muted", "id": "no-sections"]) { T(t("research.no_sections")) } }
            for (index, section) in definition.sections.enumerated() {
                El("section", ["class": "card", "aria-labelledby": "section-\(section.code)"]) {
                    El("h2", ["id": "section-\(section.code)"]) {
                        T(t("questionnaire.progress", ["number": String(index + 1), "total": String(definition.sections.count)]) + ": ")
                        T(section.title.text(dutch: dutch))
                    }
                    if section.items.isEmpty { El("p", ["class": "muted"]) { T(t("research.no_items")) } }
                    El("ol", ["class": "item-list"]) {
                        for item in section.items {
                            El("li", ["id": "item-\(item.code)"]) {
                                El("p") {
                                    El("strong") { T(item.text.text(dutch: dutch)) }
                                    T(" · \(item.code) · " + t("questionnaire.kind.\(item.kind.rawValue)"))
                                    if !item.required { T(" · " + t("questionnaire.optional")) }
                                    if let threshold = item.safetyThreshold {
                                        T(" · ")
                                        El("span", ["class": "badge"]) { T(t("research.safety_item", ["threshold": String(threshold)])) }
                                    }
                                    if item.includeInExport == true { T(" · " + t("research.in_export")) }
                                }
                                if let options = item.options, !options.isEmpty {
                                    El("p", ["class": "muted"]) {
                                        T(options.map { "\($0.value) = \($0.label.text(dutch: dutch))" }.joined(separator: "; "))
                                    }
                                }
                                El(
                                    "form",
                                    [
                                        "class": "inline-form", "method": "post",
                                        "action": Paths.researchQuestionnaireItemDelete(id: id, item: item.code),
                                    ]
                                ) {
                                    CSRFField(token: c.csrfToken)
                                    El("button", ["class": "button button-secondary", "type": "submit", "id": "delete-\(item.code)"]) {
                                        T(t("research.remove_item"))
                                        El("span", ["class": "visually-hidden"]) { T(" \(item.code)") }
                                    }
                                }
                            }
                        }
                    }
                }
            }

            El("h2", ["id": "add-item-heading"]) { T(t("research.add_item")) }
            if definition.sections.isEmpty {
                El("p", ["class": "hint"]) { T(t("research.add_section_first")) }
            } else {
                El("form", ["id": "item-form", "class": "stack-form", "method": "post", "action": action, "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    VoidEl("input", ["type": "hidden", "name": "_form", "value": "item"])
                    SelectRow(
                        id: "item_section", label: t("research.item_section"),
                        options: definition.sections.map { ($0.code, $0.title.text(dutch: dutch)) },
                        selected: v("item", "item_section", definition.sections.last!.code))
                    TextFieldRow(
                        id: "item_code", type: "text", label: t("research.item_code"), hint: t("research.code_hint"), value: v("item", "item_code"),
                        maxLength: 40)
                    SelectRow(
                        id: "item_kind", label: t("research.item_kind"),
                        options: QuestionnaireDefinition.ItemKind.allCases.map { ($0.rawValue, t("questionnaire.kind.\($0.rawValue)")) },
                        selected: v("item", "item_kind", "likert"))
                    TextAreaRow(id: "item_text_nl", label: t("research.text_nl"), value: v("item", "item_text_nl"), rows: 2, maxLength: 1_000)
                    TextAreaRow(id: "item_text_en", label: t("research.text_en"), value: v("item", "item_text_en"), rows: 2, maxLength: 1_000)
                    TextAreaRow(
                        id: "item_options", label: t("research.item_options"), hint: t("research.item_options_hint"),
                        value: v("item", "item_options"),
                        required: false, rows: 5)
                    TextFieldRow(id: "item_min", type: "number", label: t("research.item_min"), value: v("item", "item_min"), required: false)
                    TextFieldRow(id: "item_max", type: "number", label: t("research.item_max"), value: v("item", "item_max"), required: false)
                    TextFieldRow(
                        id: "item_threshold", type: "number", label: t("research.item_threshold"), hint: t("research.item_threshold_hint"),
                        value: v("item", "item_threshold"), required: false)
                    CheckboxRow(id: "item_optional", checked: v("item", "item_optional") == "on") { T(t("research.item_optional")) }
                    CheckboxRow(id: "item_export", checked: v("item", "item_export") == "on") { T(t("research.item_export_warning")) }
                    SubmitRow(id: "item-submit", label: t("research.add_item"))
                }
            }

            El("h2", ["id": "add-section-heading"]) { T(t("research.add_section")) }
            El("form", ["id": "section-form", "class": "stack-form", "method": "post", "action": action, "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "_form", "value": "section"])
                TextFieldRow(
                    id: "section_code", type: "text", label: t("research.section_code"), hint: t("research.code_hint"),
                    value: v("section", "section_code"), maxLength: 40)
                TextFieldRow(
                    id: "section_title_nl", type: "text", label: t("research.title_nl"), value: v("section", "section_title_nl"), maxLength: 200)
                TextFieldRow(
                    id: "section_title_en", type: "text", label: t("research.title_en"), value: v("section", "section_title_en"), maxLength: 200)
                SubmitRow(id: "section-submit", label: t("research.add_section"))
            }

            El("h2", ["id": "json-heading"]) { T(t("research.edit_json")) }
            El("form", ["id": "json-form", "class": "stack-form", "method": "post", "action": action, "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "_form", "value": "json"])
                TextAreaRow(
                    id: "definition", label: t("research.definition_json"), hint: t("research.definition_hint"),
                    value: v("json", "definition", String(decoding: definition.encoded(), as: UTF8.self)), rows: 16)
                SubmitRow(id: "json-submit", label: t("research.save_json"))
            }
        }
    }
}
