import Foundation
import Plot
import TextRules
import Vapor

/// The trigger rules: how they do on the evaluation set, a box to test a sentence (what would
/// happen, which rule fired, on which words, and which exception held one back), and for admins
/// adding, changing (with a preview of the effect before it is saved), switching off, import
/// and export. The rules table can be filtered (`?q=&kind=&language=&show=`), so a list of
/// hundreds of rules stays usable without JavaScript.
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
        let filter = RuleFilter(req)
        return req.page(title, status: errors.isEmpty ? .ok : .unprocessableEntity) {
            if let editing {
                El("h1") { T(t("triggers.edit_heading")) }
                ModerationNav(context: c)
                El("p", ["class": "rule-title"]) { El("code") { T(editing.pattern) } }
                El("p") { El("a", ["href": Paths.modTriggers]) { T(t("triggers.back")) } }
            } else {
                El("h1") { T(title) }
                ModerationNav(context: c)
                El("p", ["class": "lead"]) { T(t("triggers.lead")) }
            }
            // Problems with a form on this page are listed at the top, where the page opens.
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            if admin && openFeedback > 0 {
                El("p", ["class": "notice", "id": "feedback-waiting"]) {
                    El("a", ["href": Paths.adminTriggerFeedback]) {
                        T(t("triggers.feedback_waiting", count: openFeedback))
                    }
                }
            }
            if let editing {
                currentState(editing, c)
                ruleForm(c)
            } else {
                pageIndex(c, admin: admin)
                EvaluationFigures(report: evaluation.report, context: c)
                testSection(c, admin: admin)
                if admin { ruleForm(c) }
                rulesTable(c, admin: admin, filter: filter)
                if admin { importSection(c) }
            }
        }
    }

    /// Links to the parts of a long page.
    private func pageIndex(_ c: PageContext, admin: Bool) -> Component {
        let t = c.t
        var links = [("#evaluation-heading", t("triggers.index.figures")), ("#test-heading", t("triggers.test"))]
        if admin { links.append(("#add-rule-heading", t("triggers.add"))) }
        links.append(("#rules-heading", t("triggers.index.rules", ["count": String(rules.count)])))
        if admin { links.append(("#import-heading", t("triggers.import"))) }
        return El("nav", ["class": "page-index", "aria-label": t("triggers.on_this_page")]) {
            El("ul") {
                for (href, label) in links {
                    El("li") { El("a", ["href": href]) { T(label) } }
                }
            }
        }
    }

    // MARK: Testing a text

    private func testSection(_ c: PageContext, admin: Bool) -> Component {
        let t = c.t
        return El("section", ["class": "card", "aria-labelledby": "test-heading"]) {
            El("h2", ["id": "test-heading"]) { T(t("triggers.test")) }
            El("p", ["class": "hint"]) { T(t("triggers.test_lead")) }
            // The fragment brings the answer into view after the page loads.
            El("form", ["id": "trigger-test-form", "class": "stack-form", "method": "post", "action": Paths.modTriggersTest + "#test-results"]) {
                CSRFField(token: c.csrfToken)
                TextAreaRow(id: "text", label: t("triggers.test_text"), value: testText, required: false, rows: 4, maxLength: PostForm.bodyLimit)
                SubmitRow(id: "trigger-test-submit", label: t("triggers.test_submit"))
            }
            if tested { testResults(c, admin: admin) }
        }
    }

    private func testResults(_ c: PageContext, admin: Bool) -> Component {
        let t = c.t
        let ruleHits = scan.hits.filter { $0.ruleID != nil }
        let actions = TriggerRule.Action.allCases.filter { action in ruleHits.contains { $0.actions.contains(action) } }
        return El("div", ["id": "test-results", "class": "test-results-box"]) {
            El("h3") { T(t("triggers.test_result")) }
            if ruleHits.isEmpty && privacy.isEmpty {
                El("p", ["id": "test-no-hits"]) { T(t("triggers.nothing_fires")) }
            }
            if !actions.isEmpty {
                El("p", ["id": "test-verdict", "class": actions.contains(.alert) ? "test-verdict verdict-alert" : "test-verdict"]) {
                    El("strong") { T(t("triggers.verdict") + " ") }
                    T(actions.map { t("triggers.action.\($0.rawValue)") }.joined(separator: ", "))
                }
            }
            if !ruleHits.isEmpty || !privacy.isEmpty {
                El("ul", ["id": "test-hits", "class": "hit-list"]) {
                    for hit in ruleHits {
                        hitItem(hit, c, admin: admin)
                    }
                    for finding in privacy {
                        El("li", ["class": "hit hit-privacy"]) {
                            T(t("privacy.kind.\(finding.kind.rawValue)") + ": ")
                            El("mark") { T(finding.text) }
                        }
                    }
                }
            }
            if !scan.cancelled.isEmpty {
                El("h4") { T(t("triggers.cancelled")) }
                El("ul", ["id": "test-cancelled", "class": "hit-list"]) {
                    for cancelled in scan.cancelled {
                        El("li", ["class": "hit hit-cancelled"]) {
                            El("p", ["class": "hit-rule"]) { El("code") { T(cancelled.pattern) } }
                            El("p") {
                                T(t("triggers.found") + " ")
                                El("mark") { T(cancelled.matched) }
                            }
                            El("p") {
                                T(t("triggers.held_by") + " ")
                                El("code") { T(cancelled.exception) }
                                T(t("triggers.held_found", ["found": cancelled.exceptionMatched]))
                            }
                        }
                    }
                }
            }
            if let probability = scan.modelProbability, let threshold = modelThreshold {
                El("p", ["id": "test-model", "class": "muted"]) {
                    T(
                        t(
                            probability >= threshold ? "triggers.model_flags" : "triggers.model_calm",
                            ["probability": String(format: "%.2f", probability), "threshold": String(format: "%.2f", threshold)]))
                }
            }
        }
    }

    /// One rule that fired: the rule, the words it found and why, what it does, and its note.
    private func hitItem(_ hit: TriggerHit, _ c: PageContext, admin: Bool) -> Component {
        let t = c.t
        let rule = hit.ruleID.flatMap { id in rules.first { $0.id == id } }
        return El("li", ["class": hit.actions.contains(.alert) ? "hit hit-alert" : "hit"]) {
            El("p", ["class": "hit-rule"]) {
                El("code") { T(hit.pattern) }
                T(" ")
                El("span", ["class": "badge"]) { T(t("triggers.kind.\(hit.kind.rawValue)")) }
            }
            El("p") {
                T(t("triggers.found") + " ")
                El("mark") { T(hit.matched) }
                if hit.parts.count > 1 {
                    T(" — " + t("triggers.fired_parts", ["parts": hit.parts.map { "“\($0)”" }.joined(separator: ", ")]))
                }
            }
            El("p", ["class": "small"]) {
                T(t("triggers.in_text") + " ")
                Excerpt(text: hit.excerpt, marked: hit.matched)
            }
            El("p", ["class": "small"]) {
                T(t("triggers.rule_does") + " ")
                T(TriggerRule.Action.allCases.filter { hit.actions.contains($0) }.map { t("triggers.action.\($0.rawValue)") }.joined(separator: ", "))
            }
            if let rule, !rule.note.isEmpty {
                El("p", ["class": "small muted"]) { T(t("triggers.note_label") + " " + rule.note) }
            }
            if admin, let rule {
                El("p", ["class": "small"]) {
                    El("a", ["href": Paths.adminTrigger(rule), "aria-label": t("triggers.change_label", ["pattern": rule.pattern])]) {
                        T(t("triggers.edit_rule"))
                    }
                }
            }
        }
    }

    // MARK: Adding and changing a rule

    /// On the edit page: whether the rule is on, what it finds now, and switching it off or on.
    private func currentState(_ rule: TriggerRule, _ c: PageContext) -> Component {
        let t = c.t
        let hits = rule.id.flatMap { evaluation.hits[$0] } ?? TriggerEvaluationRun.RuleHits()
        return El("section", ["class": "card", "aria-labelledby": "current-heading"]) {
            El("h2", ["id": "current-heading"]) { T(t("triggers.current")) }
            El("dl", ["class": "summary-list"]) {
                El("dt") { T(t("triggers.state")) }
                El("dd") { T(t(rule.active ? "triggers.on" : "triggers.off")) }
                El("dt") { T(t("triggers.hits")) }
                El("dd") { HitsCell(hits: hits, alerts: rule.actionSet.contains(.alert), context: c) }
            }
            El("form", ["class": "inline-form", "method": "post", "action": Paths.adminTriggerToggle(rule)]) {
                CSRFField(token: c.csrfToken)
                El("button", ["type": "submit", "class": "button button-secondary", "id": "trigger-toggle"]) {
                    T(t(rule.active ? "triggers.switch_off" : "triggers.switch_on"))
                }
            }
        }
    }

    private func ruleForm(_ c: PageContext) -> Component {
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        let action = editing.map(Paths.adminTrigger) ?? Paths.adminTriggers
        return El("section", ["class": "card", "aria-labelledby": "add-rule-heading"]) {
            El("h2", ["id": "add-rule-heading"]) { T(t(editing == nil ? "triggers.add" : "triggers.change_heading")) }
            RuleSyntaxHelp(context: c)
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
                El("fieldset", ["class": "fieldset"]) {
                    El("legend") { T(t("triggers.actions")) }
                    if let message = error("action-alert") { El("p", ["class": "field-error"]) { T(message) } }
                    for action in TriggerRule.Action.allCases {
                        El("div", ["class": "field field-checkbox"]) {
                            VoidEl(
                                "input",
                                [
                                    "type": "checkbox", "id": "action-\(action.rawValue)", "name": "actions[]", "value": action.rawValue,
                                    "checked": (form.actions ?? []).contains(action.rawValue) ? "" : nil,
                                    "aria-describedby": "action-\(action.rawValue)-hint",
                                ])
                            El("label", ["for": "action-\(action.rawValue)"]) { T(t("triggers.action.\(action.rawValue)")) }
                            El("p", ["class": "hint", "id": "action-\(action.rawValue)-hint"]) { T(t("triggers.action_hint.\(action.rawValue)")) }
                        }
                    }
                }
                TextFieldRow(
                    id: "note", type: "text", label: t("triggers.note"), hint: t("triggers.note_hint"), value: form.note ?? "", error: error("note"),
                    required: false, maxLength: 500)
                if let preview { previewSection(preview, c) }
                El("div", ["class": "form-actions"]) {
                    El(
                        "button",
                        [
                            "type": "submit", "id": "trigger-preview", "name": "_form", "value": "preview", "class": "button button-secondary",
                            // The fragment brings the effect into view after the page loads.
                            "formaction": action + "#trigger-preview-result",
                        ]
                    ) {
                        T(t("triggers.preview"))
                    }
                    El("button", ["type": "submit", "id": "trigger-submit", "name": "_form", "value": "save", "class": "button button-primary"]) {
                        T(t(editing == nil ? "triggers.add" : "triggers.save"))
                    }
                }
            }
        }
    }

    private func previewSection(_ preview: TriggerRulePreview, _ c: PageContext) -> Component {
        let t = c.t
        let total = preview.hits.crisis + preview.hits.concern + preview.hits.calm
        // (label, before, after, whether a higher figure is better, as a share or a percentage)
        let rows: [(String, Double, Double, Bool, Bool)] = [
            (t("triggers.evaluation.recall"), preview.before.crisisRecall, preview.after.crisisRecall, true, false),
            (t("triggers.evaluation.calm_alerts"), preview.before.calmAlertRate, preview.after.calmAlertRate, false, true),
            (t("triggers.evaluation.precision"), preview.before.alertPrecision, preview.after.alertPrecision, true, false),
            (t("triggers.evaluation.concern_seen"), preview.before.concernCaught, preview.after.concernCaught, true, false),
        ]
        let shown = { (value: Double, percent: Bool) in percent ? String(format: "%.1f %%", value * 100) : String(format: "%.3f", value) }
        return El("div", ["id": "trigger-preview-result", "class": "preview-result"]) {
            El("h3") { T(t("triggers.preview_title")) }
            El("p") {
                T(
                    t(
                        total == 0 ? "triggers.preview_none" : "triggers.preview_hits",
                        ["crisis": String(preview.hits.crisis), "concern": String(preview.hits.concern), "calm": String(preview.hits.calm)]))
            }
            El("table", ["class": "data-table", "id": "preview-figures"]) {
                El("caption") { T(t("triggers.preview_caption")) }
                El("thead") {
                    El("tr") {
                        El("th", ["scope": "col"]) { T(t("triggers.preview_measure")) }
                        El("th", ["scope": "col", "id": "preview-before"]) { T(t("triggers.preview_before")) }
                        El("th", ["scope": "col", "id": "preview-after"]) { T(t("triggers.preview_after")) }
                    }
                }
                El("tbody") {
                    for (label, before, after, higherIsBetter, percent) in rows {
                        let change = (after - before) * (percent ? 100 : 1)
                        let changed = abs(change) >= (percent ? 0.05 : 0.0005)
                        let better = (after > before) == higherIsBetter
                        El("tr") {
                            El("th", ["scope": "row"]) { T(label) }
                            El("td") { T(shown(before, percent)) }
                            El("td", ["class": changed ? (better ? "figure-better" : "figure-worse") : ""]) {
                                T(shown(after, percent))
                                if changed {
                                    T(
                                        " (" + String(format: percent ? "%+.1f" : "%+.3f", change) + ", "
                                            + t(better ? "triggers.better" : "triggers.worse") + ")")
                                }
                            }
                        }
                    }
                }
            }
            for (key, list, gained) in [("triggers.preview_new", preview.newAlerts, true), ("triggers.preview_lost", preview.lostAlerts, false)]
            where !list.isEmpty {
                El("h4") { T(t(key, ["count": String(list.count)])) }
                El("ul", ["class": "sentence-list"]) {
                    for sentence in list.prefix(20) {
                        // A new alert is right on a crisis sentence; a lost one is right on a calm one.
                        let good = gained ? sentence.label == .crisis : sentence.label != .crisis
                        El("li", ["class": good ? "sentence-good" : "sentence-bad"]) {
                            El("span", ["class": "badge"]) { T(t("triggers.label.\(sentence.label.rawValue)") + " · " + sentence.language) }
                            T(" " + sentence.text)
                        }
                    }
                }
                if list.count > 20 { El("p", ["class": "small muted"]) { T(t("triggers.preview_more", count: list.count - 20)) } }
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

    // MARK: The rules table

    private func rulesTable(_ c: PageContext, admin: Bool, filter: RuleFilter) -> Component {
        let t = c.t
        let hitsOf = { (rule: TriggerRule) in rule.id.flatMap { evaluation.hits[$0] } ?? TriggerEvaluationRun.RuleHits() }
        let shown = rules.filter { filter.matches($0, hits: hitsOf($0)) }
        let groups = TriggerRule.Kind.allCases.map { kind in (kind, shown.filter { $0.kind == kind }) }.filter { !$0.1.isEmpty }
        return El("section", ["aria-labelledby": "rules-heading", "class": "rules-section"]) {
            El("h2", ["id": "rules-heading"]) { T(t("triggers.rules", ["count": String(rules.count)])) }
            filterForm(c, filter: filter)
            El("p", ["id": "rules-count", "class": "muted"]) {
                T(t("triggers.filter.count", ["shown": String(shown.count), "total": String(rules.count)]))
                if filter.isActive {
                    T(" · ")
                    El("a", ["href": Paths.modTriggers + "#rules-heading"]) { T(t("triggers.filter.clear")) }
                }
            }
            if shown.isEmpty {
                El("p", ["id": "rules-none"]) { T(t("triggers.filter.none")) }
            } else {
                El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": t("triggers.caption")]) {
                    El("table", ["id": "trigger-rules", "class": "data-table"]) {
                        El("caption", ["class": "visually-hidden"]) { T(t("triggers.caption")) }
                        El("thead") {
                            El("tr") {
                                El("th", ["scope": "col", "class": "col-rule"]) { T(t("triggers.column.rule")) }
                                for key in ["triggers.language", "triggers.actions", "triggers.hits", "triggers.state"] {
                                    El("th", ["scope": "col"]) { T(t(key)) }
                                }
                            }
                        }
                        for (kind, list) in groups {
                            El("tbody") {
                                El("tr", ["class": "group-row"]) {
                                    El("th", ["scope": "rowgroup", "colspan": "5"]) {
                                        T(t("triggers.group.\(kind.rawValue)", ["count": String(list.count)]))
                                    }
                                }
                                for rule in list {
                                    ruleRow(rule, hits: hitsOf(rule), filter: filter, c, admin: admin)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A GET form: the filter is in the address, so it can be bookmarked and survives a reload.
    private func filterForm(_ c: PageContext, filter: RuleFilter) -> Component {
        let t = c.t
        return El("form", ["id": "rule-filter", "class": "filter-form", "method": "get", "action": Paths.modTriggers + "#rules-heading"]) {
            El("div", ["class": "filter-fields"]) {
                TextFieldRow(
                    id: "filter-q", type: "search", label: t("triggers.filter.q"), value: filter.q, required: false, maxLength: 200, name: "q")
                SelectRow(
                    id: "filter-kind", label: t("triggers.kind"),
                    options: [("", t("triggers.filter.all_kinds"))]
                        + TriggerRule.Kind.allCases.map { ($0.rawValue, t("triggers.kind.\($0.rawValue)")) },
                    selected: filter.kind
                )
                .named("kind")
                SelectRow(
                    id: "filter-language", label: t("triggers.language"),
                    options: [("", t("triggers.filter.all_languages"))] + TriggerRule.languages.map { ($0, t("admin.sources.language.\($0)")) },
                    selected: filter.language
                )
                .named("language")
                SelectRow(
                    id: "filter-show", label: t("triggers.filter.show"),
                    options: RuleFilter.shows.map { ($0, t("triggers.filter.show.\($0.isEmpty ? "all" : $0)")) }, selected: filter.show
                )
                .named("show")
            }
            El("div", ["class": "form-actions"]) {
                El("button", ["type": "submit", "id": "rule-filter-submit", "class": "button button-secondary"]) { T(t("triggers.filter.submit")) }
            }
        }
    }

    private func ruleRow(_ rule: TriggerRule, hits: TriggerEvaluationRun.RuleHits, filter: RuleFilter, _ c: PageContext, admin: Bool) -> Component {
        let t = c.t
        return El("tr", ["class": rule.active ? "rule-on" : "rule-off"]) {
            El("td") {
                El("code") { T(rule.pattern) }
                // Exceptions can be long lists: folded, so a row stays a row (open when the
                // search found its words there).
                let exceptions = rule.exceptionList
                if !exceptions.isEmpty {
                    El("details", ["class": "rule-exceptions", "open": filter.foundInExceptions(rule) ? "" : nil]) {
                        El("summary") {
                            T(t("triggers.exceptions", count: exceptions.count))
                        }
                        for exception in exceptions {
                            El("div", ["class": "rule-exception"]) { El("code") { T(exception) } }
                        }
                    }
                }
                if !rule.note.isEmpty {
                    El("p", ["class": "rule-note"]) { T(rule.note) }
                }
            }
            El("td") {
                El("abbr", ["title": t("admin.sources.language.\(rule.language)")]) { T(t("triggers.language_short.\(rule.language)")) }
            }
            El("td") {
                T(
                    TriggerRule.Action.allCases.filter { rule.actionSet.contains($0) }.map { t("triggers.action_short.\($0.rawValue)") }.joined(
                        separator: ", "))
            }
            El("td", ["class": "rule-hits"]) { HitsCell(hits: hits, alerts: rule.actionSet.contains(.alert), context: c) }
            El("td", ["class": "rule-state"]) {
                El("span", ["class": rule.active ? "state state-on" : "state state-off"]) { T(t(rule.active ? "triggers.on" : "triggers.off")) }
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

/// Which rules the table shows: words in the pattern, exceptions or note; a kind; a language;
/// on or off; or the rules that raise alerts on calm sentences or find nothing at all.
struct RuleFilter {
    static let shows = ["", "on", "off", "false_alarms", "no_hits"]

    var q = ""
    var kind = ""
    var language = ""
    var show = ""

    init(_ req: Request) {
        q = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(200))
        kind = req.query[String.self, at: "kind"].flatMap { TriggerRule.Kind(rawValue: $0)?.rawValue } ?? ""
        language = req.query[String.self, at: "language"].flatMap { TriggerRule.languages.contains($0) ? $0 : nil } ?? ""
        show = req.query[String.self, at: "show"].flatMap { Self.shows.contains($0) ? $0 : nil } ?? ""
    }

    var isActive: Bool { !(q.isEmpty && kind.isEmpty && language.isEmpty && show.isEmpty) }

    func matches(_ rule: TriggerRule, hits: TriggerEvaluationRun.RuleHits) -> Bool {
        if !kind.isEmpty && rule.kind.rawValue != kind { return false }
        if !language.isEmpty && rule.language != language { return false }
        switch show {
        case "on": if !rule.active { return false }
        case "off": if rule.active { return false }
        case "false_alarms": if !(hits.calm > 0 && rule.actionSet.contains(.alert)) { return false }
        case "no_hits": if hits.crisis + hits.concern + hits.calm > 0 { return false }
        default: break
        }
        guard !q.isEmpty else { return true }
        return [rule.pattern, rule.exceptions, rule.note].contains { Self.contains($0, q) }
    }

    /// Whether the search words are in the rule's exceptions (their list is then shown open).
    func foundInExceptions(_ rule: TriggerRule) -> Bool {
        !q.isEmpty && Self.contains(rule.exceptions, q)
    }

    private static func contains(_ text: String, _ words: String) -> Bool {
        text.range(of: words, options: [.caseInsensitive, .diacriticInsensitive]) != nil
    }
}

/// A rule's hits on the evaluation set, with a word when an alerting rule fires on calm sentences.
struct HitsCell: Component {
    let hits: TriggerEvaluationRun.RuleHits
    let alerts: Bool
    let context: PageContext

    var body: Component {
        let t = context.t
        return ComponentGroup {
            T(t("triggers.hits_value", ["crisis": String(hits.crisis), "concern": String(hits.concern), "calm": String(hits.calm)]))
            if alerts && hits.calm > 0 {
                El("strong", ["class": "false-alarm"]) { T(t("triggers.false_alarms", ["count": String(hits.calm)])) }
            }
        }
    }
}

/// A passage with the matched words marked (the first place they occur, as written).
struct Excerpt: Component {
    let text: String
    let marked: String

    var body: Component {
        guard !marked.isEmpty, let range = text.range(of: marked) else { return T(text) }
        return ComponentGroup {
            T(String(text[..<range.lowerBound]))
            El("mark") { T(String(text[range])) }
            T(String(text[range.upperBound...]))
        }
    }
}

/// "How to write a rule": each piece of the rule language with an example, then the exceptions.
struct RuleSyntaxHelp: Component {
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("details", ["class": "rule-help", "id": "rule-help"]) {
            El("summary") { T(t("triggers.language_help")) }
            El("dl", ["class": "rule-syntax"]) {
                for key in ["phrase", "stem", "alternatives", "optional", "ordered", "unordered", "window", "exceptions", "context"] {
                    El("dt") { El("code") { T(t("triggers.syntax.\(key)_example")) } }
                    El("dd") { T(t("triggers.syntax.\(key)")) }
                }
            }
            El("p", ["class": "small"]) { T(t("triggers.syntax.sentence")) }
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
                        count: report.overall.crisis.sentences + report.overall.concern.sentences + report.overall.calm.sentences))
            }
            // The caption is shown above the region: inside, a phone would cut it off with the table.
            El("p", ["class": "table-note", "aria-hidden": "true"]) { T(t("triggers.evaluation_caption")) }
            El("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": t("triggers.evaluation_caption")]) {
                El("table", ["id": "evaluation-figures", "class": "data-table"]) {
                    El("caption", ["class": "visually-hidden"]) { T(t("triggers.evaluation_caption")) }
                    El("thead") {
                        El("tr") {
                            for key in ["language", "recall", "calm_alerts", "precision", "concern_seen", "calm_flags"] {
                                El("th", ["scope": "col"]) { T(t("triggers.evaluation.\(key)")) }
                            }
                        }
                    }
                    El("tbody") {
                        for (language, f) in rows {
                            let missed = !report.meetsTargets(f)
                            El("tr", ["class": missed ? "warn" : ""]) {
                                El("th", ["scope": "row"]) {
                                    T(language == "all" ? t("triggers.evaluation.all") : t("admin.sources.language.\(language)"))
                                    if missed { El("span", ["class": "target-missed"]) { T(t("triggers.evaluation.missed")) } }
                                }
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
