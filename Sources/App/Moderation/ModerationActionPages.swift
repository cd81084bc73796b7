import Fluent
import Foundation
import Plot
import Vapor

/// A post opened for action: its full text, its history, and hide / restore / refer.
struct PostActionPage {
    let post: Post
    let topic: Topic
    let author: Member
    let actions: [ModerationAction]
    let sources: [Source]
    var errors = FormErrors()
    var referNote = ""
    /// A reason typed before the session expired, and the form it was typed in.
    var rescued: [String: String] = [:]
    /// What the trigger rules say about the post now.
    var triggerScan: TriggerScan?

    static func load(post: Post, topic: Topic, author: Member, on db: any Database) async throws -> PostActionPage {
        let actions = try await ModerationAction.query(on: db).filter(\.$postID == post.requireID()).sort(\.$createdAt, .descending).all()
        let sources = try await Source.query(on: db).filter(\.$archived == false).sort(\.$title).all()
        return PostActionPage(post: post, topic: topic, author: author, actions: actions, sources: sources)
    }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        let kept = { (form: String) in rescued["_form"] == form ? rescued["reason"] ?? "" : "" }
        let back = Paths.modPost(post)
        return req.page(t("mod.post.title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("mod.post.title")) }
            ModerationNav(context: c)
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("p") {
                El("a", ["href": Paths.post(post, in: topic)]) { T(topic.title) }
                T(" · #\(post.number) · ")
                El("a", ["href": Paths.modMember(author)]) { T(author.pseudonym) }
                T(" · ")
                El("span", ["id": "post-screening", "class": "badge"]) { T(t("mod.screening_state.\(post.screening.rawValue)")) }
            }
            El("div", ["class": "prose card"]) { CookedHTML(html: post.bodyHTML) }
            El("p") {
                El("a", ["id": "mod-edit-link", "class": "button button-secondary", "href": Paths.modPostEdit(post)]) { T(t("mod.post.edit")) }
            }
            if post.screening == .hidden || post.screening == .removedByModerator || post.screening == .held {
                El("form", ["id": "restore-form", "class": "stack-form", "method": "post", "action": back, "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    RescueFields(returnPath: back, form: "restore")
                    El("h2") { T(t(post.screening == .held ? "mod.post.release" : "mod.post.restore")) }
                    TextFieldRow(
                        id: "restore-reason", type: "text", label: t("mod.reason"), value: kept("restore"), error: error("restore-reason"),
                        maxLength: 2_000, name: "reason")
                    SubmitRow(id: "restore-submit", label: t("mod.post.restore"))
                }
            }
            if PostModeration.mayHide(post) {
                El("form", ["id": "hide-form", "class": "stack-form", "method": "post", "action": back, "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    RescueFields(returnPath: back, form: "hide")
                    El("h2") { T(t("mod.post.hide")) }
                    TextFieldRow(
                        id: "hide-reason", type: "text", label: t("mod.reason"), hint: t("mod.post.hide_hint"), value: kept("hide"),
                        error: error("hide-reason"), maxLength: 2_000, name: "reason")
                    SubmitRow(id: "hide-submit", label: t("mod.post.hide"))
                }
            }
            if post.screening != .removedByModerator {
                El("form", ["id": "remove-form", "class": "stack-form", "method": "post", "action": back, "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    RescueFields(returnPath: back, form: "remove")
                    El("h2") { T(t("mod.post.remove")) }
                    TextFieldRow(
                        id: "remove-reason", type: "text", label: t("mod.reason"), hint: t("mod.post.remove_hint"), value: kept("remove"),
                        error: error("remove-reason"), maxLength: 2_000, name: "reason")
                    SubmitRow(id: "remove-submit", label: t("mod.post.remove"))
                }
            }
            El("form", ["id": "refer-form", "class": "stack-form", "method": "post", "action": back, "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                RescueFields(returnPath: back, form: "refer")
                El("h2") { T(t("mod.post.refer")) }
                El("p", ["class": "hint"]) { T(t("mod.post.refer_hint")) }
                TextAreaRow(
                    id: "refer-note", label: t("mod.post.refer_note"), value: rescued["_form"] == "refer" ? rescued["note"] ?? "" : referNote,
                    error: error("refer-note"), rows: 3, maxLength: 2_000
                )
                .named("note")
                El("fieldset", ["id": "refer-sources"]) {
                    El("legend") { T(t("mod.post.refer_sources")) }
                    if let message = error("refer-sources") { El("p", ["class": "field-error"]) { T(message) } }
                    if sources.isEmpty {
                        El("p", ["class": "muted"]) { T(t("mod.post.no_sources")) }
                    }
                    for source in sources {
                        let sid = source.id?.uuidString ?? ""
                        El("div", ["class": "field field-checkbox"]) {
                            VoidEl("input", ["type": "checkbox", "id": "source-\(sid)", "name": "source[]", "value": sid])
                            El("label", ["for": "source-\(sid)"]) { T("\(source.title) (\(source.language))") }
                        }
                    }
                }
                SubmitRow(id: "refer-submit", label: t("mod.post.refer"))
            }
            TriggerFeedbackForm(action: back, context: c, scan: triggerScan)
            El("h2") { T(t("mod.history")) }
            ActionHistory(actions: actions, context: c)
        }
    }
}

/// A moderator edits a post's text; the member sees "edited by a moderator".
struct ModeratorEditPage {
    let post: Post
    let body: String
    let reason: String
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("mod.post.edit"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("mod.post.edit")) }
            ModerationNav(context: c)
            El("p", ["class": "lead"]) { T(t("mod.post.edit_lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "mod-edit-form", "class": "stack-form", "method": "post", "action": Paths.modPostEdit(post), "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                TextAreaRow(id: "body", label: t("forum.body"), value: body, error: error("body"), rows: 10, maxLength: PostForm.bodyLimit)
                TextFieldRow(id: "reason", type: "text", label: t("mod.reason"), value: reason, error: error("reason"), maxLength: 2_000)
                SubmitRow(id: "mod-edit-submit", label: t("mod.post.edit_submit"))
            }
        }
    }
}

/// The moderation actions on a member or a post, newest first.
struct ActionHistory: Component {
    let actions: [ModerationAction]
    let context: PageContext

    var body: Component {
        let t = context.t
        return ComponentGroup {
            if actions.isEmpty {
                El("p", ["class": "muted"]) { T(t("mod.history.none")) }
            } else {
                El("ul", ["class": "action-history"]) {
                    for action in actions {
                        // Written for the moderator ("Post hidden"), not in the member's words
                        // ("A post of yours was hidden").
                        El("li") {
                            El("strong") { T(t("mod.history.kind.\(action.kind.rawValue)")) }
                            T(" · " + DateFormatting.dayTime(action.createdAt, locale: context.locale))
                            if let until = action.until {
                                T(
                                    " · "
                                        + (until >= ModerationAction.indefinitely
                                            ? t("mod.history.indefinitely")
                                            : t("mod.history.until", ["date": DateFormatting.dayTime(until, locale: context.locale)])))
                            }
                            El("p", ["class": "history-reason"]) {
                                T(t(action.kind == .message ? "mod.history.message" : "mod.history.reason", ["reason": action.reason]))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Finding a member by pseudonym.
struct MemberSearchPage {
    let search: String
    let found: [Member]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("mod.members.title")) {
            El("h1") { T(t("mod.members.title")) }
            ModerationNav(context: c)
            El("form", ["class": "search-form", "method": "get", "action": "/mod/members", "role": "search"]) {
                TextFieldRow(id: "q", type: "search", label: t("mod.members.search"), value: search, required: false, maxLength: 100)
                SubmitRow(id: "member-search-submit", label: t("search.submit"))
            }
            if !search.isEmpty && found.isEmpty { El("p", ["class": "muted"]) { T(t("mod.members.none")) } }
            El("ul", ["id": "member-results"]) {
                for member in found {
                    El("li") { El("a", ["href": Paths.modMember(member)]) { T(member.pseudonym) } }
                }
            }
        }
    }
}

/// A member as moderators see them: status, history, actions, and (logged) contact details.
struct MemberModerationPage {
    let member: Member
    let actions: [ModerationAction]
    let now: Date
    var errors = FormErrors()
    var typedReason = ""
    var typedKind = ""
    var typedDays = ""
    var typedContactReason = ""
    var showContact = false

    static func load(member: Member, on db: any Database, now: Date) async throws -> MemberModerationPage {
        let actions = try await ModerationAction.query(on: db).filter(\.$memberID == member.requireID())
            .sort(\.$createdAt, .descending).limit(100).all()
        return MemberModerationPage(member: member, actions: actions, now: now)
    }

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let path = Paths.modMember(member)
        let error = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(member.pseudonym, status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(member.pseudonym) }
            ModerationNav(context: c)
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("dl", ["class": "figures"]) {
                El("dt") { T(t("mod.member.since")) }
                El("dd") { T(DateFormatting.day(member.createdAt, locale: c.locale)) }
                El("dt") { T(t("mod.member.role")) }
                El("dd") { T(t("role.\(member.role.rawValue)")) }
                El("dt") { T(t("mod.member.status")) }
                El("dd", ["id": "member-status"]) { T(status(t: t, locale: c.locale)) }
            }
            El("section", ["class": "card", "aria-labelledby": "contact-heading"]) {
                El("h2", ["id": "contact-heading"]) { T(t("mod.contact.heading")) }
                if showContact {
                    El("dl", ["id": "contact-details"]) {
                        El("dt") { T(t("field.real_name")) }
                        El("dd") { T(member.realName ?? "—") }
                        El("dt") { T(t("field.email")) }
                        El("dd") { T(member.email) }
                    }
                    El("p", ["class": "muted"]) { T(t("mod.contact.logged")) }
                } else {
                    El("p", ["class": "hint"]) { T(t("mod.contact.hint")) }
                    El("form", ["id": "contact-form", "class": "stack-form", "method": "post", "action": path, "novalidate": ""]) {
                        CSRFField(token: c.csrfToken)
                        RescueFields(returnPath: path, form: "contact")
                        TextFieldRow(
                            id: "contact-reason", type: "text", label: t("mod.reason"), value: typedContactReason, error: error("contact-reason"),
                            maxLength: 2_000, name: "reason")
                        SubmitRow(id: "contact-submit", label: t("mod.contact.show"))
                    }
                }
            }
            El("section", ["class": "card", "aria-labelledby": "act-heading"]) {
                El("h2", ["id": "act-heading"]) { T(t("mod.member.act")) }
                El("form", ["id": "act-form", "class": "stack-form", "method": "post", "action": path, "novalidate": ""]) {
                    CSRFField(token: c.csrfToken)
                    RescueFields(returnPath: path, form: "act")
                    // One choice per action, each with only the choices that fit it: a silence and a
                    // suspension have their own durations. The menu shows under the chosen action
                    // (CSS :has, no JavaScript); without :has every menu simply shows.
                    El("fieldset", ["class": "act-kinds", "id": "act-kind"]) {
                        El("legend") { T(t("mod.member.action")) }
                        if let message = error("act-kind") { El("p", ["class": "field-error", "id": "act-kind-error"]) { T(message) } }
                        for kind in Self.kinds {
                            El("div", ["class": "act-choice"]) {
                                El("div", ["class": "field field-checkbox"]) {
                                    VoidEl(
                                        "input",
                                        [
                                            "type": "radio", "id": "act-kind-\(kind.rawValue)", "name": "kind", "value": kind.rawValue,
                                            "checked": typedKind == kind.rawValue ? "" : nil,
                                            "aria-describedby": error("act-kind") == nil ? nil : "act-kind-error",
                                        ])
                                    El("label", ["for": "act-kind-\(kind.rawValue)"]) { T(t("mod.member.kind.\(kind.rawValue)")) }
                                }
                                if kind == .silence || kind == .suspend {
                                    El("div", ["class": "act-extra"]) {
                                        SelectRow(
                                            id: "act-days-\(kind.rawValue)", label: t("mod.member.days_for.\(kind.rawValue)"),
                                            options: dayOptions(kind, t),
                                            selected: typedKind == kind.rawValue ? typedDays : "", error: error("act-days-\(kind.rawValue)")
                                        ).named("days_\(kind.rawValue)")
                                    }
                                }
                            }
                        }
                    }
                    TextAreaRow(
                        id: "act-reason", label: t("mod.member.reason"), hint: t("mod.member.reason_hint"), value: typedReason,
                        error: error("act-reason"), rows: 3, maxLength: 2_000
                    ).named("reason")
                    SubmitRow(id: "act-submit", label: t("mod.member.act_submit"))
                }
            }
            El("h2") { T(t("mod.history")) }
            ActionHistory(actions: actions, context: c)
        }
    }

    static let kinds: [ModerationAction.Kind] = [.message, .warn, .silence, .suspend, .lift]

    /// No duration is chosen until the moderator chooses one: a form that comes back never
    /// quietly shows "1 day" for a duration that was not picked.
    private func dayOptions(_ kind: ModerationAction.Kind, _ t: Translator) -> [(value: String, label: String)] {
        [("", t("mod.member.days_choose"))]
            + MemberModeration.durationDays(for: kind).map { (days: Int) -> (value: String, label: String) in
                let label: String
                if days == 0 {
                    label = t("mod.member.indefinitely")
                } else {
                    label = t("mod.member.days", count: days)
                }
                return (String(days), label)
            }
    }

    private func status(t: Translator, locale: AppLocale) -> String {
        var parts = [String]()
        if let until = member.suspendedUntil, until > now {
            parts.append(
                until >= ModerationAction.indefinitely
                    ? t("mod.member.suspended_indefinitely")
                    : t("mod.member.suspended_until", ["date": DateFormatting.dayTime(until, locale: locale)]))
        }
        if let until = member.silencedUntil, until > now {
            parts.append(
                until >= ModerationAction.indefinitely
                    ? t("mod.member.silenced_indefinitely")
                    : t("mod.member.silenced_until", ["date": DateFormatting.dayTime(until, locale: locale)]))
        }
        return parts.isEmpty ? t("mod.member.active") : parts.joined(separator: "; ")
    }
}
