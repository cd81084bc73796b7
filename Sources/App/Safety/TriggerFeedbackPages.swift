import Plot
import TextRules
import Vapor

/// On a post's moderation page: "this should have raised an alert" or "this was a false alarm".
struct TriggerFeedbackForm: Component {
    let action: String
    let context: PageContext
    /// What the rules say about the post now: the moderator judges the rules with this in view.
    /// Nil where the page was drawn again after a failed form: then nothing is claimed.
    var scan: TriggerScan?
    var error: String? = nil
    var kind: String? = nil

    var body: Component {
        let t = context.t
        return El(
            "form",
            [
                "id": "trigger-feedback-form", "class": "stack-form card feedback-form", "method": "post", "action": action, "novalidate": "",
                "aria-labelledby": "trigger-feedback-heading",
            ]
        ) {
            CSRFField(token: context.csrfToken)
            VoidEl("input", ["type": "hidden", "name": "_form", "value": "trigger-feedback"])
            El("h2", ["id": "trigger-feedback-heading"]) { T(t("triggers.feedback.title")) }
            El("p", ["class": "hint"]) { T(t("triggers.feedback.lead")) }
            if let scan {
                let fired = scan.hits.filter { $0.ruleID != nil }
                if fired.isEmpty {
                    El("p", ["id": "post-rules-none"]) { T(t("triggers.feedback.none_fire")) }
                } else {
                    El("p") { T(t("triggers.feedback.fire")) }
                    El("ul", ["id": "post-rules"]) {
                        for hit in fired {
                            El("li") {
                                El("code") { T(hit.pattern) }
                                T(" — " + t("triggers.feedback.fired_on", ["words": hit.matched]))
                                T(" (" + hit.actions.map { t("triggers.action.\($0.rawValue)") }.sorted().joined(separator: ", ") + ")")
                            }
                        }
                    }
                }
                for cancelled in scan.cancelled {
                    El("p", ["class": "muted"]) {
                        El("code") { T(cancelled.pattern) }
                        T(" — " + t("triggers.feedback.held_back", ["exception": cancelled.exception, "words": cancelled.exceptionMatched]))
                    }
                }
            }
            RadioGroup(
                name: "kind", legend: t("triggers.feedback.kind"),
                options: TriggerFeedback.Kind.allCases.map { ($0.rawValue, t("triggers.feedback.kind.\($0.rawValue)")) }, selected: kind,
                error: error)
            CheckboxRow(id: "keep-text", name: "keep", checked: false) { T(t("triggers.feedback.keep")) }
            El("p", ["class": "hint"]) { T(t("triggers.feedback.keep_hint")) }
            SubmitRow(id: "trigger-feedback-submit", label: t("triggers.feedback.submit"))
        }
    }
}

/// The admins' review list of the moderators' feedback: each entry can become an evaluation
/// sentence (its wording and label checked first) or be set aside.
struct TriggerFeedbackPage {
    let entries: [TriggerFeedback]
    var errors = FormErrors()
    /// The entry whose form failed, and what was typed into it.
    var failed: (id: UUID, text: String, label: String?, language: String?)?

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("triggers.feedback.list_title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("triggers.feedback.list_title")) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) { T(t("triggers.feedback.list_lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            if entries.isEmpty {
                El("p", ["id": "feedback-empty"]) { T(t("triggers.feedback.empty")) }
            }
            El("ol", ["id": "feedback-list", "class": "plain-list feedback-list"]) {
                for entry in entries {
                    entryItem(entry, c)
                }
            }
            El("p") { El("a", ["href": Paths.modTriggers]) { T(t("triggers.back")) } }
        }
    }

    private func entryItem(_ entry: TriggerFeedback, _ c: PageContext) -> Component {
        let t = c.t
        let key = entry.id.uuidString
        let mine = failed?.id == entry.id ? failed : nil
        let error = { (field: String) in mine == nil ? nil : errors.message(for: field).map { t($0) } }
        return El("li", ["class": "card", "id": "feedback-\(key)"]) {
            El("h2") { T(t("triggers.feedback.kind.\(entry.kind.rawValue)")) }
            El("p", ["class": "muted"]) {
                T(
                    t(
                        "triggers.feedback.by",
                        [
                            "name": entry.reportedBy ?? t("triggers.feedback.someone"),
                            "date": DateFormatting.dayTime(entry.createdAt, locale: c.locale),
                        ]))
                if let postID = entry.postID {
                    T(" · ")
                    El("a", ["href": Paths.modPost(id: postID)]) { T(t("triggers.feedback.post")) }
                }
                if let text = entry.text {
                    T(" · ")
                    El("a", ["href": Paths.modTriggers + "?text=" + Self.queryValue(text) + "#test-heading"]) { T(t("triggers.feedback.try")) }
                }
            }
            if let text = entry.text {
                El("form", ["class": "stack-form", "method": "post", "action": Paths.adminTriggerFeedback, "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    VoidEl("input", ["type": "hidden", "name": "item", "value": key])
                    TextAreaRow(
                        id: "text-\(key)", label: t("triggers.feedback.sentence"), hint: t("triggers.feedback.sentence_hint"),
                        value: mine?.text ?? text, error: error("text-\(key)"), rows: 3, maxLength: 2_000
                    )
                    .named("text")
                    RadioGroup(
                        name: "label-\(key)", legend: t("triggers.feedback.label"),
                        options: EvaluationSentence.Label.allCases.map { ($0.rawValue, t("triggers.feedback.label.\($0.rawValue)")) },
                        selected: mine?.label ?? (entry.kind == .missed ? "crisis" : "calm"), error: error("label-\(key)"))
                    SelectRow(
                        id: "language-\(key)", label: t("triggers.language"), options: ["nl", "en"].map { ($0, t("admin.sources.language.\($0)")) },
                        selected: mine?.language ?? entry.language, error: error("language-\(key)"))
                    El("div", ["class": "form-actions"]) {
                        El(
                            "button",
                            ["type": "submit", "name": "_form", "value": "add", "class": "button button-primary", "id": "feedback-add-\(key)"]
                        ) {
                            T(t("triggers.feedback.add"))
                        }
                        El(
                            "button",
                            [
                                "type": "submit", "name": "_form", "value": "dismiss", "class": "button button-secondary",
                                "id": "feedback-dismiss-\(key)",
                            ]
                        ) {
                            T(t("triggers.feedback.dismiss"))
                        }
                    }
                }
            } else {
                El("p") { T(t("triggers.feedback.no_text")) }
                El("form", ["class": "inline-form", "method": "post", "action": Paths.adminTriggerFeedback]) {
                    CSRFField(token: c.csrfToken)
                    VoidEl("input", ["type": "hidden", "name": "item", "value": key])
                    El(
                        "button",
                        ["type": "submit", "name": "_form", "value": "dismiss", "class": "button button-secondary", "id": "feedback-dismiss-\(key)"]
                    ) {
                        T(t("triggers.feedback.dismiss"))
                    }
                }
            }
        }
    }

    /// A text as a query value (the test box on the rules page takes `?text=`).
    static func queryValue(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
