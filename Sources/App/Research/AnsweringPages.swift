import Plot
import TextRules
import Vapor

/// GET /questionnaires: the member's questionnaires, open ones first, with what is done.
struct QuestionnaireListPage {
    struct Row {
        let invitation: ResearchInvitation
        let wave: StudyWave
        let title: String
    }
    let rows: [Row]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let now = c.now
        let open = rows.filter { $0.invitation.isOpen(at: now) }
        let done = rows.filter { !$0.invitation.isOpen(at: now) }
        return req.page(t("questionnaire.list_title")) {
            El("h1") { T(t("questionnaire.list_title")) }
            El("p", ["class": "lead"]) { T(t("questionnaire.list_lead")) }
            if open.isEmpty {
                El("p", ["class": "muted", "id": "no-open-questionnaires"]) { T(t("questionnaire.none_open")) }
            } else {
                El("ul", ["class": "card-list", "id": "open-questionnaires"]) {
                    for row in open {
                        El("li", ["class": "card"]) {
                            El("h2") { El("a", ["href": Paths.questionnaire(id: row.invitation.id!)]) { T(row.title) } }
                            El("p", ["class": "muted"]) {
                                T(row.wave.name(c.locale) + " · ")
                                T(t("questionnaire.open_until", ["date": DateFormatting.day(row.invitation.closesAt, locale: c.locale)]))
                            }
                            El("p") {
                                El("a", ["class": "button button-primary", "href": Paths.questionnaire(id: row.invitation.id!)]) {
                                    T(t(row.invitation.startedAt == nil ? "questionnaire.start" : "questionnaire.resume"))
                                }
                            }
                        }
                    }
                }
            }
            if !done.isEmpty {
                El("h2") { T(t("questionnaire.earlier")) }
                El("ul", ["id": "earlier-questionnaires"]) {
                    for row in done {
                        El("li") {
                            T(row.title + " · " + row.wave.name(c.locale) + " · ")
                            T(t(row.invitation.completedAt != nil ? "questionnaire.status_done" : "questionnaire.status_closed"))
                        }
                    }
                }
            }
            El("p", ["class": "hint"]) {
                T(t("questionnaire.settings_hint") + " ")
                El("a", ["href": Paths.researchSettings]) { T(t("research.settings_title")) }
            }
        }
    }
}

/// One section of a questionnaire: its items, progress ("section 2 of 4"), and saving. Every
/// section is saved when sent; "Save and stop for now" keeps the answers and leaves.
struct AnswerPage {
    let invitation: ResearchInvitation
    let wave: StudyWave
    let definition: QuestionnaireDefinition
    let section: Int
    /// Stored or typed values: the field name → its value.
    let values: [String: String]
    var errors = [String: String]()

    /// Field names start with `FormRescue.keptPrefix`, so an expired session keeps the answers.
    static func field(_ item: QuestionnaireDefinition.Item) -> String { FormRescue.keptPrefix + item.code }
    static func field(_ item: QuestionnaireDefinition.Item, option: Int) -> String { "\(field(item))-\(option)" }

    /// The stored answers as the form's fields, so a saved section shows what was chosen.
    static func fields(from stored: [String: String], _ definition: QuestionnaireDefinition) -> [String: String] {
        var fields = [String: String]()
        for item in definition.items {
            guard let value = stored[item.code] else { continue }
            if item.kind == .multiple {
                for chosen in value.split(separator: ";").compactMap({ Int($0) }) { fields[field(item, option: chosen)] = "on" }
            } else {
                fields[field(item)] = value
            }
        }
        return fields
    }

    /// What the form sent for each item of a section, in the shape `Item.check` takes.
    static func answers(from form: [String: String], section: QuestionnaireDefinition.Section) -> [String: [String]] {
        var answers = [String: [String]]()
        for item in section.items {
            if item.kind == .multiple {
                answers[item.code] = (item.options ?? []).filter { form[field(item, option: $0.value)] == "on" }.map { String($0.value) }
            } else {
                answers[item.code] = form[field(item)].map { [$0] } ?? []
            }
        }
        return answers
    }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let dutch = c.locale == .nl
        let current = definition.sections[section]
        let id = invitation.id!
        let summary = errors
        return req.page(definition.title.text(dutch: dutch), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(definition.title.text(dutch: dutch)) }
            El("p", ["class": "muted", "id": "questionnaire-progress"]) {
                T(t("questionnaire.progress", ["number": String(section + 1), "total": String(definition.sections.count)]))
            }
            El("progress", ["max": String(definition.sections.count), "value": String(section), "aria-labelledby": "questionnaire-progress"]) {}
            if section == 0, let intro = definition.intro { El("p", ["class": "lead"]) { T(intro.text(dutch: dutch)) } }
            // The summary names each question: three times "please answer" alone would not say which.
            if !summary.isEmpty {
                El("div", ["class": "form-errors", "role": "alert", "tabindex": "-1", "id": "form-errors"]) {
                    El("h2") { T(t("form.errors_title")) }
                    El("ul") {
                        for item in current.items {
                            if let key = errors[item.code] {
                                El("li") { El("a", ["href": "#\(firstField(item))"]) { T(item.text.text(dutch: dutch) + " " + t(key)) } }
                            }
                        }
                    }
                }
            }
            El("form", ["id": "answer-form", "class": "stack-form", "method": "post", "action": Paths.questionnaire(id: id), "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "section", "value": String(section + 1)])
                El("h2", ["id": "section-title"]) { T(current.title.text(dutch: dutch)) }
                for item in current.items { itemField(item, c: c) }
                El("div", ["class": "form-actions"]) {
                    El("button", ["id": "answer-next", "class": "button button-primary", "type": "submit", "name": "go", "value": "next"]) {
                        T(t(section == definition.sections.count - 1 ? "questionnaire.finish" : "questionnaire.next"))
                    }
                    El("button", ["id": "answer-later", "class": "button button-secondary", "type": "submit", "name": "go", "value": "later"]) {
                        T(t("questionnaire.later"))
                    }
                }
                if section > 0 {
                    El("p") {
                        El("a", ["id": "answer-previous", "href": Paths.questionnaire(id: id, section: section - 1)]) {
                            T(t("questionnaire.previous"))
                        }
                    }
                }
                El("p", ["class": "hint"]) { T(t("questionnaire.saved_hint")) }
            }
        }
    }

    private func firstField(_ item: QuestionnaireDefinition.Item) -> String {
        if item.kind.hasOptions, let first = item.options?.first { return "\(Self.field(item))-\(first.value)" }
        return Self.field(item)
    }

    private func itemField(_ item: QuestionnaireDefinition.Item, c: PageContext) -> Component {
        let t = c.t
        let dutch = c.locale == .nl
        let name = Self.field(item)
        let label = item.text.text(dutch: dutch) + (item.required ? "" : " " + t("questionnaire.optional"))
        let error = errors[item.code].map { t($0) }
        switch item.kind {
        case .likert, .single:
            return RadioGroup(
                name: name, legend: label, options: (item.options ?? []).map { (String($0.value), $0.label.text(dutch: dutch)) },
                selected: values[name], error: error)
        case .multiple:
            return El("fieldset") {
                El("legend") { T(label) }
                if let error { El("p", ["class": "field-error", "id": "\(name)-error"]) { T(error) } }
                for option in item.options ?? [] {
                    CheckboxRow(id: Self.field(item, option: option.value), checked: values[Self.field(item, option: option.value)] == "on") {
                        T(option.label.text(dutch: dutch))
                    }
                }
            }
        case .number:
            return TextFieldRow(
                id: name, type: "number", label: label,
                hint: t("questionnaire.number_hint", ["min": String(item.min ?? 0), "max": String(item.max ?? 0)]),
                value: values[name] ?? "", error: error, required: item.required)
        case .date:
            return TextFieldRow(
                id: name, type: "date", label: label, hint: t("questionnaire.date_hint"), value: values[name] ?? "", error: error,
                required: item.required)
        case .shortText:
            return TextFieldRow(
                id: name, type: "text", label: label, value: values[name] ?? "", error: error, required: item.required,
                maxLength: QuestionnaireDefinition.maxShortText)
        case .longText:
            return TextAreaRow(
                id: name, label: label, value: values[name] ?? "", error: error, required: item.required, rows: 5,
                maxLength: QuestionnaireDefinition.maxLongText)
        }
    }
}

/// After the last section, or for a finished questionnaire: a kind thank-you.
struct AnswerDonePage {
    enum State { case finished, closed, notYet }
    let state: State
    let title: String

    func render(_ req: Request) -> Response {
        let t = req.pageContext.t
        return req.page(title) {
            El("h1") { T(title) }
            switch state {
            case .finished:
                El("div", ["class": "callout", "id": "questionnaire-thanks"]) {
                    El("p", ["class": "lead"]) { T(t("questionnaire.thanks")) }
                    El("p") { T(t("questionnaire.thanks_more")) }
                }
            case .closed:
                El("p", ["class": "callout", "id": "questionnaire-closed"]) { T(t("questionnaire.closed")) }
            case .notYet:
                El("p", ["class": "callout", "id": "questionnaire-not-ready"]) { T(t("questionnaire.not_ready")) }
            }
            El("p") { El("a", ["class": "button button-secondary", "href": Paths.researchQuestionnaires]) { T(t("questionnaire.back")) } }
        }
    }
}
