import Foundation
import Plot
import Vapor

/// The moderation dashboard.
struct DashboardPage {
    let shift: Shift?
    let figures: ScreeningFigures
    let queue: [ReviewItem.Kind: Int]
    let newcomers: [Member]
    let now: Date
    /// Median time from crisis alert to acknowledgement, last 30 days.
    var medianAcknowledge: TimeInterval? = nil
    /// Median time from a member's first post to a moderator's welcome, last 30 days.
    var medianWelcome: TimeInterval? = nil
    /// Members' topics waiting for a response (the oldest few), and the response figures.
    var waiting: WaitingList = .empty
    var responses: ResponseFigures? = nil

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("mod.title")) {
            El("h1") { T(t("mod.title")) }
            El("p", ["class": "lead"]) { T(t("mod.lead")) }
            ModerationNav(context: c)
            El("section", ["class": "card", "aria-labelledby": "shift-heading"]) {
                El("h2", ["id": "shift-heading"]) { T(t("mod.shift.heading")) }
                if let shift {
                    El("p", ["id": "shift-status"]) {
                        T(
                            t(
                                "mod.shift.in_progress",
                                [
                                    "kind": t("mod.shift.kind.\(shift.kind.rawValue)"),
                                    "time": DateFormatting.dayTime(shift.startedAt, locale: c.locale),
                                ]))
                    }
                    El("p") {
                        El("a", ["class": "button button-secondary", "href": "/mod/shift"]) { T(t("mod.shift.handover_link")) }
                        T(" ")
                        El("a", ["id": "end-shift-link", "class": "button button-secondary", "href": "/mod/shift/end"]) { T(t("mod.shift.end")) }
                    }
                } else {
                    El("p", ["id": "shift-status"]) { T(t("mod.shift.none")) }
                    El("p") {
                        El("a", ["id": "start-shift-link", "class": "button button-primary", "href": "/mod/shift"]) { T(t("mod.shift.start")) }
                    }
                }
            }
            El("section", ["class": "card", "aria-labelledby": "screening-heading"]) {
                El("h2", ["id": "screening-heading"]) { T(t("mod.screening.heading")) }
                El("dl", ["class": "figures"]) {
                    El("dt") { T(t("mod.figures.unscreened")) }
                    El("dd", ["id": "figure-unscreened"]) { T(String(figures.unscreened)) }
                    El("dt") { T(t("mod.figures.oldest")) }
                    El("dd", ["id": "figure-oldest"]) {
                        T(figures.oldestUnscreenedAt.map { Self.age(now.timeIntervalSince($0), t: t) } ?? t("mod.figures.none_waiting"))
                    }
                    El("dt") { T(t("mod.figures.coverage")) }
                    El("dd", ["id": "figure-coverage"]) {
                        T(figures.coverage.map { "\(Int(($0 * 100).rounded())) %" } ?? t("mod.figures.no_data"))
                    }
                }
                El("p") { El("a", ["class": "button button-primary", "href": "/mod/screening"]) { T(t("mod.screening.open")) } }
            }
            El("section", ["class": "card", "aria-labelledby": "alerts-heading"]) {
                El("h2", ["id": "alerts-heading"]) { T(t("alerts.title")) }
                El("p", ["id": "figure-acknowledge"]) {
                    T(medianAcknowledge.map { t("alerts.median", ["time": Self.age($0, t: t)]) } ?? t("alerts.median_none"))
                }
                El("p") { El("a", ["class": "button button-secondary", "href": "/mod/alerts"]) { T(t("alerts.open")) } }
            }
            El("section", ["class": "card", "aria-labelledby": "queue-heading"]) {
                El("h2", ["id": "queue-heading"]) { T(t("mod.queue.heading")) }
                El("ul", ["id": "queue-counts"]) {
                    for kind in ReviewItem.Kind.allCases {
                        El("li") { T("\(t("mod.queue.kind.\(kind.rawValue)")): \(queue[kind] ?? 0)") }
                    }
                    El("li") { T("\(t("waiting.heading")): \(waiting.total)") }
                }
                El("p", ["id": "figure-welcome"]) {
                    T(t("mod.welcome.waiting", count: queue[.welcome] ?? 0) + " ")
                    T(medianWelcome.map { t("mod.welcome.median", ["time": Self.age($0, t: t)]) } ?? t("mod.welcome.median_none"))
                }
                El("p") { El("a", ["class": "button button-secondary", "href": "/mod/queue"]) { T(t("mod.queue.open")) } }
            }
            if let responses { WaitingDashboardCard(list: waiting, figures: responses, context: c) }
            El("h2") { T(t("mod.newcomers")) }
            if newcomers.isEmpty {
                El("p", ["class": "muted"]) { T(t("mod.no_newcomers")) }
            } else {
                El("ul", ["id": "newcomers"]) {
                    for member in newcomers {
                        El("li") {
                            El("a", ["href": Paths.modMember(member)]) { T(member.pseudonym) }
                            T(" · \(DateFormatting.day(member.createdAt, locale: c.locale))")
                        }
                    }
                }
            }
        }
    }

    /// "3 h 20 min" or "2 days 4 h": how long the oldest item has waited.
    static func age(_ seconds: TimeInterval, t: Translator) -> String {
        let minutes = max(0, Int(seconds / 60))
        if minutes < 60 { return t("mod.age.minutes", ["m": String(minutes)]) }
        if minutes < 48 * 60 { return t("mod.age.hours", ["h": String(minutes / 60), "m": String(minutes % 60)]) }
        return t("mod.age.days", ["d": String(minutes / 1440), "h": String(minutes % 1440 / 60)])
    }
}

/// Links between the moderation pages.
struct ModerationNav: Component {
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("nav", ["class": "subnav", "aria-label": t("mod.nav")]) {
            El("ul") {
                for (path, key) in [
                    ("/mod", "mod.nav.dashboard"), ("/mod/shift", "mod.nav.shift"), ("/mod/screening", "mod.nav.screening"),
                    ("/mod/queue", "mod.nav.queue"), ("/mod/alerts", "mod.nav.alerts"), ("/mod/logbook", "mod.nav.logbook"),
                    ("/mod/members", "mod.nav.members"), ("/mod/triggers", "mod.nav.triggers"),
                ] {
                    El("li") { El("a", ["href": path, "aria-current": context.path == path ? "page" : nil]) { T(t(key)) } }
                }
            }
        }
    }
}

/// Starting a shift: morning, evening or ad hoc, the likely one preselected.
struct StartShiftPage {
    let suggested: Shift.Kind

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("mod.shift.start")) {
            El("h1") { T(t("mod.shift.start")) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) { T(t("mod.shift.start_lead")) }
            El("form", ["id": "start-shift-form", "class": "stack-form", "method": "post", "action": "/mod/shift/start"]) {
                CSRFField(token: c.csrfToken)
                RadioGroup(
                    name: "kind", legend: t("mod.shift.kind"),
                    options: Shift.Kind.allCases.map { ($0.rawValue, t("mod.shift.kind.\($0.rawValue)")) },
                    selected: suggested.rawValue)
                SubmitRow(id: "start-shift-submit", label: t("mod.shift.start"))
            }
        }
    }
}

/// The handover: logbook entries since the moderator's own last shift, newest first.
struct HandoverPage {
    let shift: Shift
    let handover: Handover

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let openItems = handover.entries.flatMap { $0.entry.openItemList }
        return req.page(t("mod.handover.title")) {
            El("h1") { T(t("mod.handover.title")) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) {
                T(t("mod.handover.since", ["time": DateFormatting.dayTime(handover.since, locale: c.locale)]))
            }
            if handover.openCrisisItems > 0 {
                El("div", ["class": "callout callout-urgent", "role": "alert", "id": "handover-crisis"]) {
                    T(t("mod.handover.crisis", count: handover.openCrisisItems))
                    T(" ")
                    El("a", ["href": "/mod/queue"]) { T(t("mod.queue.open")) }
                }
            }
            El("h2") { T(t("mod.handover.open_items")) }
            if openItems.isEmpty {
                El("p", ["class": "muted"]) { T(t("mod.handover.no_open_items")) }
            } else {
                El("ul", ["id": "open-items"]) { for item in openItems { El("li") { T(item) } } }
            }
            El("h2") { T(t("mod.handover.entries")) }
            if handover.entries.isEmpty {
                El("p", ["class": "muted", "id": "no-entries"]) { T(t("mod.handover.no_entries")) }
            } else {
                El("ol", ["id": "handover-entries", "class": "logbook"]) {
                    for entry in handover.entries { El("li") { LogbookEntryView(entry: entry, context: c) } }
                }
            }
            if shift.handoverAcknowledgedAt == nil {
                El("form", ["id": "acknowledge-form", "method": "post", "action": "/mod/shift/acknowledge"]) {
                    CSRFField(token: c.csrfToken)
                    SubmitRow(id: "acknowledge-submit", label: t("mod.handover.acknowledge"))
                }
            } else {
                El("p", ["id": "handover-acknowledged", "class": "muted"]) {
                    T(t("mod.handover.acknowledged", ["time": DateFormatting.dayTime(shift.handoverAcknowledgedAt!, locale: c.locale)]))
                }
                El("p") { El("a", ["class": "button button-secondary", "href": "/mod/shift/end"]) { T(t("mod.shift.end")) } }
            }
        }
    }
}

/// One logbook entry, as the handover and the logbook show it.
struct LogbookEntryView: Component {
    let entry: Handover.Entry
    let context: PageContext

    var body: Component {
        let t = context.t
        let e = entry.entry
        return El("article", ["class": "logbook-entry"]) {
            El("h3") {
                T(t("mod.logbook.entry_by", ["name": entry.authorPseudonym, "time": DateFormatting.dayTime(e.createdAt, locale: context.locale)]))
            }
            El("p") {
                El("strong") { T(t("mod.logbook.atmosphere") + ": ") }
                T(t("mod.logbook.atmosphere.\(e.atmosphere)"))
                if !e.atmosphereNote.isEmpty { T(" — " + e.atmosphereNote) }
            }
            El("p", ["class": "peculiarities"]) {
                El("strong") { T(t("mod.logbook.peculiarities") + ": ") }
                T(e.peculiarities)
            }
            if !e.watchList.isEmpty {
                El("p") {
                    El("strong") { T(t("mod.logbook.watch_members") + ": ") }
                    for (i, name) in e.watchList.enumerated() {
                        if i > 0 { T(", ") }
                        El("a", ["href": "/mod/members?q=\(LocalPath.encode(name))"]) { T(name) }
                    }
                }
            }
            if !e.openItemList.isEmpty {
                El("p") {
                    El("strong") { T(t("mod.logbook.open_items") + ": ") }
                    T(e.openItemList.joined(separator: "; "))
                }
            }
        }
    }
}

/// The logbook entry that ends a shift.
struct EndShiftPage {
    var form: LogbookForm
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("mod.shift.end"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("mod.shift.end")) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) { T(t("mod.shift.end_lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "end-shift-form", "class": "stack-form", "method": "post", "action": "/mod/shift/end", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                SelectRow(
                    id: "atmosphere", label: t("mod.logbook.atmosphere"),
                    options: LogbookEntry.atmosphereRange.map { (String($0), t("mod.logbook.atmosphere.\($0)")) },
                    selected: form.atmosphere ?? "3", error: error("atmosphere"))
                TextAreaRow(
                    id: "atmosphere_note", label: t("mod.logbook.atmosphere_note"), value: form.atmosphere_note ?? "",
                    error: error("atmosphere_note"), required: false, rows: 2)
                TextAreaRow(
                    id: "peculiarities", label: t("mod.logbook.peculiarities"), hint: t("mod.logbook.peculiarities_hint"),
                    value: form.peculiarities ?? "", error: error("peculiarities"), rows: 5)
                TextAreaRow(
                    id: "watch_members", label: t("mod.logbook.watch_members"), hint: t("mod.logbook.one_per_line"),
                    value: form.watch_members ?? "", error: error("watch_members"), required: false, rows: 3)
                TextAreaRow(
                    id: "open_items", label: t("mod.logbook.open_items"), hint: t("mod.logbook.one_per_line"),
                    value: form.open_items ?? "", error: error("open_items"), required: false, rows: 3)
                SubmitRow(id: "end-shift-submit", label: t("mod.shift.end_submit"))
            }
        }
    }
}

/// Every logbook entry, newest first.
struct LogbookPage {
    let entries: [Handover.Entry]
    let next: Date?

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("mod.logbook.title")) {
            El("h1") { T(t("mod.logbook.title")) }
            ModerationNav(context: c)
            El("h2") { T(t("mod.logbook.entries")) }
            if entries.isEmpty {
                El("p", ["class": "muted"]) { T(t("mod.handover.no_entries")) }
            } else {
                El("ol", ["class": "logbook", "id": "logbook-entries"]) {
                    for entry in entries { El("li") { LogbookEntryView(entry: entry, context: c) } }
                }
            }
            if let next {
                El("p") { El("a", ["href": "/mod/logbook?before=\(next.timeIntervalSince1970)"]) { T(t("mod.more")) } }
            }
        }
    }
}
