import Plot

/// Problems with a submitted form, in field order: field id → locale key of the message.
struct FormErrors: Sendable {
    private(set) var items: [(field: String, key: String)] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func add(_ field: String, _ key: String) {
        guard message(for: field) == nil else { return }
        items.append((field, key))
    }

    func message(for field: String) -> String? {
        items.first { $0.field == field }?.key
    }
}

/// The box at the top of a form that lists its problems, each linking to its field.
struct ErrorSummary: Component {
    let errors: FormErrors
    let context: PageContext

    var body: Component {
        El("div", ["class": "form-errors", "role": "alert", "tabindex": "-1", "id": "form-errors"]) {
            El("h2") { T(context.t("form.errors_title")) }
            El("ul") {
                for item in errors.items {
                    El("li") { El("a", ["href": "#\(item.field)"]) { T(context.t(item.key)) } }
                }
            }
        }
    }
}

/// A labelled input with an optional hint and error message, tied together for screen readers.
struct TextFieldRow: Component {
    let id: String
    let type: String
    let label: String
    var hint: String? = nil
    var value: String = ""
    var error: String? = nil
    var autocomplete: String? = nil
    var required = true
    var maxLength: Int? = nil
    /// The submitted name, when several forms on one page share field names (defaults to the id).
    var name: String? = nil

    var body: Component {
        let describedBy = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }]
            .compactMap { $0 }.joined(separator: " ")
        return El("div", ["class": "field"]) {
            El("label", ["for": id]) { T(label) }
            if let hint {
                El("p", ["class": "hint", "id": "\(id)-hint"]) { T(hint) }
            }
            VoidEl(
                "input",
                [
                    "id": id, "name": name ?? id, "type": type,
                    "value": type == "password" ? nil : value,
                    "autocomplete": autocomplete,
                    "required": required ? "" : nil,
                    "maxlength": maxLength.map(String.init),
                    "aria-describedby": describedBy.isEmpty ? nil : describedBy,
                    "aria-invalid": error == nil ? nil : "true",
                ])
            if let error {
                El("p", ["class": "field-error", "id": "\(id)-error"]) { T(error) }
            }
        }
    }
}

/// A labelled checkbox; the label may hold links (to the terms, for instance).
struct CheckboxRow: Component {
    let id: String
    let checked: Bool
    var error: String? = nil
    var name: String? = nil
    let label: ComponentGroup

    init(id: String, name: String? = nil, checked: Bool, error: String? = nil, @ComponentBuilder label: () -> ComponentGroup) {
        self.id = id
        self.name = name
        self.checked = checked
        self.error = error
        self.label = label()
    }

    var body: Component {
        El("div", ["class": "field field-checkbox"]) {
            VoidEl(
                "input",
                [
                    "type": "checkbox", "id": id, "name": name ?? id, "value": "on",
                    "checked": checked ? "" : nil,
                    "aria-describedby": error == nil ? nil : "\(id)-error",
                    "aria-invalid": error == nil ? nil : "true",
                ])
            El("label", ["for": id]) { label }
            if let error {
                El("p", ["class": "field-error", "id": "\(id)-error"]) { T(error) }
            }
        }
    }
}

/// The form's main button.
struct SubmitRow: Component {
    let id: String
    let label: String
    var body: Component {
        El("div", ["class": "form-actions"]) {
            El("button", ["id": id, "class": "button button-primary", "type": "submit"]) { T(label) }
        }
    }
}

/// A labelled textarea with an optional hint and error message.
struct TextAreaRow: Component {
    let id: String
    let label: String
    var hint: String? = nil
    var value: String = ""
    var error: String? = nil
    var required = true
    var rows = 4
    var maxLength: Int? = nil
    /// The submitted name, when several forms on one page share field names (defaults to the id).
    var name: String? = nil

    func named(_ name: String) -> TextAreaRow {
        var copy = self
        copy.name = name
        return copy
    }

    var body: Component {
        let describedBy = [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }]
            .compactMap { $0 }.joined(separator: " ")
        return El("div", ["class": "field"]) {
            El("label", ["for": id]) { T(label) }
            if let hint {
                El("p", ["class": "hint", "id": "\(id)-hint"]) { T(hint) }
            }
            El(
                "textarea",
                [
                    "id": id, "name": name ?? id, "rows": String(rows),
                    "required": required ? "" : nil,
                    "maxlength": maxLength.map(String.init),
                    "aria-describedby": describedBy.isEmpty ? nil : describedBy,
                    "aria-invalid": error == nil ? nil : "true",
                ]
            ) { T(value) }
            if let error {
                El("p", ["class": "field-error", "id": "\(id)-error"]) { T(error) }
            }
        }
    }
}

/// Radio buttons in a fieldset with a legend. Option ids are `name-value`; an error sits under
/// the legend and every option points to it (forms link their error summary to the first option).
struct RadioGroup: Component {
    let name: String
    let legend: String
    let options: [(value: String, label: String)]
    var selected: String? = nil
    var error: String? = nil

    var body: Component {
        El("fieldset") {
            El("legend") { T(legend) }
            if let error { El("p", ["class": "field-error", "id": "\(name)-error"]) { T(error) } }
            for option in options {
                El("div", ["class": "field field-checkbox"]) {
                    VoidEl(
                        "input",
                        [
                            "type": "radio", "id": "\(name)-\(option.value)", "name": name, "value": option.value,
                            "checked": option.value == selected ? "" : nil,
                            "aria-describedby": error == nil ? nil : "\(name)-error",
                            "aria-invalid": error == nil ? nil : "true",
                        ])
                    El("label", ["for": "\(name)-\(option.value)"]) { T(option.label) }
                }
            }
        }
    }
}

/// A labelled select; `options` are (value, label) pairs.
struct SelectRow: Component {
    let id: String
    let label: String
    var hint: String? = nil
    let options: [(value: String, label: String)]
    var selected: String? = nil
    var error: String? = nil
    /// The submitted name, when several forms on one page share field names (defaults to the id).
    var name: String? = nil

    func named(_ name: String) -> SelectRow {
        var copy = self
        copy.name = name
        return copy
    }

    var body: Component {
        El("div", ["class": "field"]) {
            El("label", ["for": id]) { T(label) }
            if let hint {
                El("p", ["class": "hint", "id": "\(id)-hint"]) { T(hint) }
            }
            El(
                "select",
                [
                    "id": id, "name": name ?? id,
                    "aria-describedby": [hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }].compactMap { $0 }.joined(separator: " ")
                        .nilIfEmpty,
                    "aria-invalid": error == nil ? nil : "true",
                ]
            ) {
                for option in options {
                    El("option", ["value": option.value, "selected": option.value == selected ? "" : nil]) { T(option.label) }
                }
            }
            if let error {
                El("p", ["class": "field-error", "id": "\(id)-error"]) { T(error) }
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
