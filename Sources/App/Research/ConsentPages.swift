import Plot
import TextRules
import Vapor

/// GET /research/consent: the study, its information letter, and the choice. "Not now" is as
/// prominent as "Yes": taking part is never a condition of membership.
struct ConsentPage {
    let study: Study?
    let letter: PageVersion?
    let consent: ResearchConsent?

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("research.consent_title")) {
            El("h1") { T(t("research.consent_title")) }
            if let study, let letter {
                El("p", ["class": "lead", "id": "study-description"]) { T(study.description(c.locale)) }
                El("article", ["class": "card prose", "id": "information-letter", "aria-labelledby": "letter-heading"]) {
                    El("h2", ["id": "letter-heading"]) { T(letter.title) }
                    CookedHTML(html: letter.bodyHTML)
                    El("p", ["class": "muted"]) {
                        T(t("page.version", ["version": String(letter.version), "date": DateFormatting.day(letter.createdAt, locale: c.locale)]))
                    }
                }
                if let consent, consent.isGiven {
                    El("p", ["class": "callout", "id": "consent-given"]) {
                        T(t("research.consent_given", ["date": DateFormatting.day(consent.answeredAt, locale: c.locale)]) + " ")
                        El("a", ["href": Paths.researchSettings]) { T(t("research.settings_title")) }
                    }
                } else {
                    El("form", ["id": "consent-form", "class": "stack-form", "method": "post", "action": Paths.researchConsent]) {
                        CSRFField(token: c.csrfToken)
                        VoidEl("input", ["type": "hidden", "name": "letter_version", "value": String(letter.version)])
                        CheckboxRow(id: "emails", checked: false) { T(t("research.emails_allowed")) }
                        El("div", ["class": "form-actions"]) {
                            El("button", ["id": "consent-yes", "class": "button button-primary", "type": "submit", "name": "answer", "value": "yes"])
                            {
                                T(t("research.consent_yes"))
                            }
                            El(
                                "button",
                                ["id": "consent-not-now", "class": "button button-primary", "type": "submit", "name": "answer", "value": "not_now"]
                            ) {
                                T(t("research.consent_not_now"))
                            }
                        }
                        El("p", ["class": "hint"]) { T(t("research.consent_hint")) }
                    }
                }
            } else {
                El("p", ["class": "muted", "id": "no-study"]) { T(t("research.no_study")) }
            }
        }
    }
}

/// GET /settings/research: whether the member takes part, and stopping.
struct ResearchSettingsPage {
    let study: Study?
    let consent: ResearchConsent?

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("research.settings_title")) {
            El("h1") { T(t("research.settings_title")) }
            if let study {
                El("p", ["class": "lead"]) { T(study.name) }
                if let consent, consent.isGiven {
                    El("p", ["id": "research-status"]) {
                        T(t("research.consent_given", ["date": DateFormatting.day(consent.answeredAt, locale: c.locale)]))
                    }
                    El("form", ["id": "withdraw-form", "class": "stack-form", "method": "post", "action": Paths.researchWithdraw]) {
                        CSRFField(token: c.csrfToken)
                        El("p", ["class": "hint"]) { T(t("research.withdraw_hint")) }
                        SubmitRow(id: "withdraw-submit", label: t("research.withdraw"))
                    }
                } else {
                    El("p", ["id": "research-status"]) {
                        T(t(consent?.withdrawnAt != nil ? "research.status_withdrawn" : "research.status_not_taking_part") + " ")
                        El("a", ["id": "consent-link", "href": Paths.researchConsent]) { T(t("research.read_letter")) }
                    }
                }
            } else {
                El("p", ["class": "muted", "id": "no-study"]) { T(t("research.no_study")) }
            }
        }
    }
}

/// GET /research/studies: the studies, their consent figures (small cells suppressed) and a new one.
struct StudiesPage {
    let studies: [(study: Study, given: Int, notNow: Int, withdrawn: Int)]
    var form = StudyForm()
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let e = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("research.studies_title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("research.studies_title")) }
            El("p", ["class": "lead"]) { T(t("research.studies_lead")) }
            if studies.isEmpty {
                El("p", ["class": "muted", "id": "no-studies"]) { T(t("research.no_studies")) }
            } else {
                El("table", ["id": "studies"]) {
                    El("thead") {
                        El("tr") {
                            for key in ["research.study_name", "research.study_dates", "research.given", "research.not_now", "research.withdrawn"] {
                                El("th", ["scope": "col"]) { T(t(key)) }
                            }
                        }
                    }
                    El("tbody") {
                        for row in studies {
                            El("tr") {
                                El("th", ["scope": "row"]) {
                                    if let id = row.study.id {
                                        El("a", ["href": Paths.researchStudy(id: id)]) { T(row.study.name) }
                                    } else {
                                        T(row.study.name)
                                    }
                                }
                                El("td") {
                                    T(
                                        DateFormatting.day(row.study.startsAt, locale: c.locale) + " – "
                                            + DateFormatting.day(row.study.lastDay, locale: c.locale))
                                }
                                El("td") { T(SmallCells.shown(row.given)) }
                                El("td") { T(SmallCells.shown(row.notNow)) }
                                El("td") { T(SmallCells.shown(row.withdrawn)) }
                            }
                        }
                    }
                }
            }
            El("h2", ["id": "new-study-heading"]) { T(t("research.new_study")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "study-form", "class": "stack-form", "method": "post", "action": Paths.researchStudies, "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextFieldRow(id: "name", type: "text", label: t("research.study_name"), value: form.name ?? "", error: e("name"), maxLength: 120)
                TextAreaRow(
                    id: "description_nl", label: t("research.description_nl"), value: form.description_nl ?? "", error: e("description_nl"), rows: 3)
                TextAreaRow(
                    id: "description_en", label: t("research.description_en"), value: form.description_en ?? "", error: e("description_en"), rows: 3)
                TextFieldRow(
                    id: "starts", type: "text", label: t("research.starts"), hint: t("research.date_hint"), value: form.starts ?? "",
                    error: e("starts"),
                    maxLength: 10)
                TextFieldRow(
                    id: "ends", type: "text", label: t("research.ends"), hint: t("research.date_hint"), value: form.ends ?? "", error: e("ends"),
                    maxLength: 10)
                SubmitRow(id: "study-submit", label: t("research.save_study"))
            }
        }
    }
}

/// A study as typed.
struct StudyForm: Content {
    var name: String?
    var description_nl: String?
    var description_en: String?
    /// "2027-01-01", in the community's time zone; the study ends at the end of `ends`.
    var starts: String?
    var ends: String?

    func validated() -> (Study?, FormErrors) {
        var errors = FormErrors()
        let clean = { (value: String?) in (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let name = clean(name)
        if name.isEmpty || name.count > 120 { errors.add("name", "research.error.name") }
        let nl = clean(description_nl)
        let en = clean(description_en)
        if nl.isEmpty || nl.count > 2_000 { errors.add("description_nl", "research.error.description") }
        if en.isEmpty || en.count > 2_000 { errors.add("description_en", "research.error.description") }
        let start = NewsForm.parse(clean(starts) + " 00:00", zone: DateFormatting.communityZone)
        // The end of the last day on the calendar: a daylight-saving night is not 24 hours.
        let end = NewsForm.parse(clean(ends) + " 00:00", zone: DateFormatting.communityZone).map {
            WaveTiming.adding(months: 0, days: 1, to: $0, in: DateFormatting.communityZone)
        }
        if start == nil { errors.add("starts", "research.error.date") }
        if end == nil { errors.add("ends", "research.error.date") }
        if let start, let end, end <= start { errors.add("ends", "research.error.order") }
        guard errors.isEmpty, let start, let end else { return (nil, errors) }
        let study = Study()
        study.name = name
        study.descriptionNL = nl
        study.descriptionEN = en
        study.startsAt = start
        study.endsAt = end
        return (study, errors)
    }
}
