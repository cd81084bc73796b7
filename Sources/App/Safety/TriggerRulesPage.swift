import Plot
import TextRules
import Vapor

/// The trigger rules: how they do on the evaluation set, a box to test a sentence (which rule
/// fired, on which words, and which exception held one back), and for admins adding, changing
/// (with a preview of the effect before it is saved), switching off, import and export.
struct TriggersPage {
    let rules: [TriggerRule]
    let me: Member
    let evaluation: TriggerEvaluationRun
    var form = TriggerRuleForm()
    /// The rule being changed (nil: a new rule).
    var editing: TriggerRule?
    var errors = FormErrors()
    var testText = ""
    var scan = TriggerScan()
    var modelThreshold: Double?
    var privacy: [PrivacyScanner.Finding] = []
    var tested = false
    var importText = ""
    var preview: TriggerRulePreview?
    var openFeedback = 0

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let admin = Guardian.canAdminister(me)
        let title = editing == nil ? t("triggers.title") : t("triggers.edit_title", ["pattern": editing?.pattern ?? ""])
        return req.page(title, status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(title) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) { T(t("triggers.lead")) }
            if admin && openFeedback > 0 {
                El("p", ["class": "notice", "id": "feedback-waiting"]) {
                    El("a", ["href": Paths.adminTriggerFeedback]) {
                        T(t(openFeedback == 1 ? "triggers.feedback_waiting_one" : "triggers.feedback_waiting", ["count": String(openFeedback)]))
                    }
                }
            }
            if editing == nil {
                EvaluationFigures(report: evaluation.report, context: c)
                testSection(c)
            }
            if admin {
                ruleForm(c)
                if editing == nil { importSection(c) }
            }
            if editing == nil { rulesTable(c, admin: admin) }
        }
    }

    private func testSection(_ c: PageContext) -> Component {
        let t = c.t
        return El("section", ["class": "card", "aria-labelledby": "test-heading"]) {
            El("h2", ["id": "test-heading"]) { T(t("triggers.test")) }
            El("form", ["id": "trigger-test-form", "class": "stack-form", "method": "post", "action": Paths.modTriggersTest]) {
                CSRFField(token: c.csrfToken)
                TextAreaRow(id: "text", label: t("triggers.test_text"), value: testText, required: false, rows: 4, maxLength: PostForm.bodyLimit)
                SubmitRow(id: "trigger-test-submit", label: t("triggers.test_submit"))
            }
            if tested {
                let ruleHits = scan.hits.filter { $0.ruleID != nil }
                if ruleHits.isEmpty && privacy.isEmpty {
                    El("p", ["id": "test-no-hits"]) { T(t("triggers.no_hits")) }
                }
                if !ruleHits.isEmpty || !privacy.isEmpty {
                    El("ul", ["id": "test-hits", "class": "test-results"]) {
                        for hit in ruleHits {
                            El("li") {
                                El("strong") { El("code") { T(hit.pattern) } }
                                T(
                                    " (\(t("triggers.kind.\(hit.kind.rawValue)")); \(hit.actions.map { t("triggers.action.\($0.rawValue)") }.sorted().joined(separator: ", ")))"
                                )
                                El("p") {
                                    T(t("triggers.fired_on") + " ")
                                    El("mark") { T(hit.matched) }
                                    if hit.parts.count > 1 {
                                        T(" — " + t("triggers.fired_parts", ["parts": hit.parts.map { "“\($0)”" }.joined(separator: ", ")]))
                                    }
                                }
                                El("p", ["class": "muted"]) { T(hit.excerpt) }
                            }
                        }
                        for finding in privacy {
                            El("li") {
                                T(t("privacy.kind.\(finding.kind.rawValue)") + ": ")
                                El("mark") { T(finding.text) }
                            }
                        }
                    }
                }
                if !scan.cancelled.isEmpty {
                    El("h3") { T(t("triggers.cancelled")) }
                    El("ul", ["id": "test-cancelled", "class": "test-results"]) {
                        for cancelled in scan.cancelled {
                            El("li") {
                                El("code") { T(cancelled.pattern) }
                                T(" " + t("triggers.cancelled_on", ["matched": cancelled.matched]) + " ")
                                El("code") { T(cancelled.exception) }
                                T(" (“\(cancelled.exceptionMatched)”)")
                            }
                        }
                    }
                }
                if let probability = scan.modelProbability, let threshold = modelThreshold {
                    El("p", ["id": "test-model"]) {
                        T(
                            t(
                                probability >= threshold ? "triggers.model_flags" : "triggers.model_calm",
                                ["probability": String(format: "%.2f", probability), "threshold": String(format: "%.2f", threshold)]))
                    }
                }
            }
        }
    }

    private func ruleForm(_ c: PageContext) -> Component {
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        let action = editing.map(Paths.adminTrigger) ?? Paths.adminTriggers
        return El("section", ["class": "card", "aria-labelledby": "add-rule-heading"]) {
            El("h2", ["id": "add-rule-heading"]) { T(t(editing == nil ? "triggers.add" : "triggers.change")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("details", ["class": "rule-help"]) {
                El("summary") { T(t("triggers.language_help")) }
                El("ul") {
                    for key in ["phrase", "stem", "alternatives", "optional", "ordered", "unordered", "window", "sentence", "exceptions", "context"] {
                        El("li") { T(t("triggers.syntax.\(key)")) }
                    }
                }
            }
            El("form", ["id": "trigger-form", "class": "stack-form", "method": "post", "action": action, "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(
                    id: "pattern", type: "text", label: t("triggers.pattern"), hint: t("triggers.pattern_hint"), value: form.pattern ?? "",
                    error: error("pattern"), maxLength: 300)
                TextAreaRow(
                    id: "exceptions", label: t("triggers.exceptions"), hint: t("triggers.exceptions_hint"), value: form.exceptions ?? "",
                    error: error("exceptions"), required: false, rows: 3, maxLength: 4_000)
                SelectRow(
                    id: "language", label: t("triggers.language"),
                    options: TriggerRule.languages.map { ($0, t("admin.sources.language.\($0)")) }, selected: form.language, error: error("language"))
                SelectRow(
                    id: "kind", label: t("triggers.kind"),
                    options: TriggerRule.Kind.allCases.map { ($0.rawValue, t("triggers.kind.\($0.rawValue)")) }, selected: form.kind,
                    error: error("kind"))
                El("fieldset") {
                    El("legend") { T(t("triggers.actions")) }
                    if let message = error("action-alert") { El("p", ["class": "field-error"]) { T(message) } }
                    for action in TriggerRule.Action.allCases {
                        El("div", ["class": "field field-checkbox"]) {
                            VoidEl(
                                "input",
                                [
                                    "type": "checkbox", "id": "action-\(action.rawValue)", "name": "actions[]", "value": action.rawValue,
                                    "checked": (form.actions ?? []).contains(action.rawValue) ? "" : nil,
                                ])
                            El("label", ["for": "action-\(action.rawValue)"]) { T(t("triggers.action.\(action.rawValue)")) }
                        }
                    }
                }
                TextFieldRow(
                    id: "note", type: "text", label: t("triggers.note"), value: form.note ?? "", error: error("note"), required: false, maxLength: 500
                )
                if let preview { previewSection(preview, c) }
                El("div", ["class": "form-actions"]) {
                    El("button", ["type": "submit", "id": "trigger-preview", "name": "_form", "value": "preview", "class": "secondary"]) {
                        T(t("triggers.preview"))
                    }
                    El("button", ["type": "submit", "id": "trigger-submit", "name": "_form", "value": "save"]) {
                        T(t(editing == nil ? "triggers.add" : "triggers.save"))
                    }
                }
            }
            if editing != nil { El("p") { El("a", ["href": Paths.modTriggers]) { T(t("triggers.back")) } } }
        }
    }

    private func previewSection(_ preview: TriggerRulePreview, _ c: PageContext) -> Component {
        let t = c.t
        let figures = { (f: EvaluationReport.Figures) in
            t(
                "triggers.preview_figures",
                [
                    "recall": String(format: "%.3f", f.crisisRecall), "calm": String(format: "%.1f", f.calmAlertRate * 100),
                    "precision": String(format: "%.3f", f.alertPrecision), "concern": String(format: "%.3f", f.concernCaught),
                ])
        }
        return El("div", ["id": "trigger-preview-result", "class": "preview-result", "role": "status"]) {
            El("h3") { T(t("triggers.preview_title")) }
            El("p") {
                T(
                    t(
                        "triggers.preview_hits",
                        ["crisis": String(preview.hits.crisis), "concern": String(preview.hits.concern), "calm": String(preview.hits.calm)]))
            }
            El("dl") {
                El("dt") { T(t("triggers.preview_before")) }
                El("dd", ["id": "preview-before"]) { T(figures(preview.before)) }
                El("dt") { T(t("triggers.preview_after")) }
                El("dd", ["id": "preview-after"]) { T(figures(preview.after)) }
            }
            for (key, list) in [("triggers.preview_new", preview.newAlerts), ("triggers.preview_lost", preview.lostAlerts)] where !list.isEmpty {
                El("h4") { T(t(key, ["count": String(list.count)])) }
                El("ul") {
                    for sentence in list.prefix(20) {
                        El("li") { T("[\(sentence.language), \(t("triggers.label.\(sentence.label.rawValue)"))] \(sentence.text)") }
                    }
                }
            }
        }
    }

    private func importSection(_ c: PageContext) -> Component {
        let t = c.t
        return El("section", ["class": "card", "aria-labelledby": "import-heading"]) {
            El("h2", ["id": "import-heading"]) { T(t("triggers.import")) }
            El("p") { El("a", ["id": "export-link", "href": Paths.adminTriggersExport]) { T(t("triggers.export")) } }
            El("form", ["id": "trigger-import-form", "class": "stack-form", "method": "post", "action": Paths.adminTriggersImport, "novalidate": ""])
            {
                CSRFField(token: c.csrfToken)
                TextAreaRow(
                    id: "csv", label: t("triggers.import_csv"), hint: t("triggers.import_hint"), value: importText,
                    error: errors.message(for: "csv").map { t($0) }, rows: 5, maxLength: 200_000)
                SubmitRow(id: "trigger-import-submit", label: t("triggers.import"))
            }
        }
    }

    private func rulesTable(_ c: PageContext, admin: Bool) -> Component {
        let t = c.t
        return ComponentGroup {
            El("h2") { T(t("triggers.rules", ["count": String(rules.count)])) }
            El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": t("triggers.caption")]) {
                El("table", ["id": "trigger-rules"]) {
                    El("caption") { T(t("triggers.caption")) }
                    El("thead") {
                        El("tr") {
                            for key in [
                                "triggers.pattern", "triggers.language", "triggers.kind", "triggers.actions", "triggers.hits", "triggers.note",
                                "triggers.state",
                            ] {
                                El("th", ["scope": "col"]) { T(t(key)) }
                            }
                        }
                    }
                    El("tbody") {
                        for rule in rules {
                            ruleRow(rule, c, admin: admin)
                        }
                    }
                }
            }
        }
    }

    private func ruleRow(_ rule: TriggerRule, _ c: PageContext, admin: Bool) -> Component {
        let t = c.t
        let hits = rule.id.flatMap { evaluation.hits[$0] } ?? TriggerEvaluationRun.RuleHits()
        return El("tr", ["class": rule.active ? "" : "muted"]) {
            El("td") {
                El("code") { T(rule.pattern) }
                for exception in rule.exceptionList {
                    El("div", ["class": "rule-exception"]) {
                        T(t("triggers.unless") + " ")
                        El("code") { T(exception) }
                    }
                }
            }
            El("td") { T(rule.language) }
            El("td") { T(t("triggers.kind.\(rule.kind.rawValue)")) }
            El("td") { T(rule.actionSet.map { t("triggers.action.\($0.rawValue)") }.sorted().joined(separator: ", ")) }
            El("td", ["class": hits.calm > 0 && rule.actionSet.contains(.alert) ? "rule-hits warn" : "rule-hits"]) {
                T(t("triggers.hits_value", ["crisis": String(hits.crisis), "concern": String(hits.concern), "calm": String(hits.calm)]))
            }
            El("td") { T(rule.note) }
            El("td") {
                T(t(rule.active ? "triggers.on" : "triggers.off"))
                if admin {
                    El("div") {
                        El("a", ["href": Paths.adminTrigger(rule), "aria-label": t("triggers.change_label", ["pattern": rule.pattern])]) {
                            T(t("triggers.change"))
                        }
                    }
                    El("form", ["class": "inline-form", "method": "post", "action": Paths.adminTriggerToggle(rule)]) {
                        CSRFField(token: c.csrfToken)
                        El(
                            "button",
                            [
                                "class": "link-button", "type": "submit",
                                "aria-label": t(rule.active ? "triggers.switch_off_label" : "triggers.switch_on_label", ["pattern": rule.pattern]),
                            ]
                        ) {
                            T(t(rule.active ? "triggers.switch_off" : "triggers.switch_on"))
                        }
                    }
                }
            }
        }
    }
}

/// Recall and precision on the evaluation set, overall and per language.
struct EvaluationFigures: Component {
    let report: EvaluationReport
    let context: PageContext

    var body: Component {
        let t = context.t
        let rows = [("all", report.overall)] + report.languages.keys.sorted().map { ($0, report.languages[$0]!) }
        return El("section", ["class": "card", "aria-labelledby": "evaluation-heading"]) {
            El("h2", ["id": "evaluation-heading"]) { T(t("triggers.evaluation")) }
            El("p") {
                T(
                    t(
                        "triggers.evaluation_lead",
                        ["count": String(report.overall.crisis.sentences + report.overall.concern.sentences + report.overall.calm.sentences)]))
            }
            El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": t("triggers.evaluation")]) {
                El("table", ["id": "evaluation-figures"]) {
                    El("caption") { T(t("triggers.evaluation_caption")) }
                    El("thead") {
                        El("tr") {
                            for key in ["language", "recall", "calm_alerts", "precision", "concern_seen", "calm_flags"] {
                                El("th", ["scope": "col"]) { T(t("triggers.evaluation.\(key)")) }
                            }
                        }
                    }
                    El("tbody") {
                        for (language, f) in rows {
                            El("tr", ["class": report.meetsTargets(f) ? "" : "warn"]) {
                                El("th", ["scope": "row"]) { T(language == "all" ? t("triggers.evaluation.all") : language) }
                                El("td") { T(String(format: "%.3f (%d/%d)", f.crisisRecall, f.crisis.alerted, f.crisis.sentences)) }
                                El("td") { T(String(format: "%.1f %% (%d/%d)", f.calmAlertRate * 100, f.calm.alerted, f.calm.sentences)) }
                                El("td") { T(String(format: "%.3f", f.alertPrecision)) }
                                El("td") { T(String(format: "%.3f (%d/%d)", f.concernCaught, f.concern.caught, f.concern.sentences)) }
                                El("td") { T(String(format: "%.1f %% (%d/%d)", f.calmFlagRate * 100, f.calm.caught, f.calm.sentences)) }
                            }
                        }
                    }
                }
            }
            El("p", ["class": "muted"]) {
                T(
                    t(
                        "triggers.evaluation_targets",
                        [
                            "recall": String(format: "%.2f", EvaluationReport.recallTarget),
                            "calm": String(format: "%.0f", EvaluationReport.calmAlertCeiling * 100),
                        ]
                    ))
            }
        }
    }
}
