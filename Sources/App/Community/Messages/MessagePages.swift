import Plot
import TextRules
import Vapor

/// GET /messages: the member's conversations (unread first), a search of their own messages,
/// and the way to start one.
struct MessagesPage {
    let rows: [ConversationRow]
    /// The next page's address.
    let next: String?
    var query = ""
    var hits: [(conversationID: Int, message: MessageRow)] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("messages.title")) {
            El("h1") { T(t("messages.title")) }
            El("p", ["class": "lead"]) { T(t("messages.lead")) }
            El("p", ["class": "actions"]) {
                El("a", ["class": "button button-primary", "id": "new-conversation", "href": Paths.messagesNew]) { T(t("messages.new")) }
                T(" ")
                El("a", ["class": "button button-secondary", "id": "message-settings", "href": Paths.messageSettings]) { T(t("messages.settings")) }
            }
            El("form", ["id": "message-search", "class": "search-form", "method": "get", "action": Paths.messages, "role": "search"]) {
                El("label", ["for": "message-q"]) { T(t("messages.search_label")) }
                El("div", ["class": "search-row"]) {
                    VoidEl("input", ["id": "message-q", "name": "q", "type": "search", "maxlength": "200", "value": query])
                    El("button", ["class": "button button-secondary", "type": "submit"]) { T(t("search.submit")) }
                }
            }
            if !query.isEmpty {
                El("section", ["aria-labelledby": "message-hits-heading", "id": "message-hits"]) {
                    El("h2", ["id": "message-hits-heading"]) { T(t("search.results", count: hits.count)) }
                    El("ul", ["class": "topic-list"]) {
                        for hit in hits {
                            El("li", ["class": "topic-row"]) {
                                El("a", ["href": Paths.message(id: hit.message.id, in: hit.conversationID)]) {
                                    T(c.shownName(hit.message.authorName) + " · " + DateFormatting.dayTime(hit.message.createdAt, locale: c.locale))
                                }
                                El("div", ["class": "prose"]) { CookedHTML(html: hit.message.html) }
                            }
                        }
                    }
                }
            }
            if rows.isEmpty {
                El("p", ["class": "muted", "id": "no-conversations"]) { T(t("messages.empty")) }
            } else {
                El("ul", ["class": "topic-list conversation-list", "id": "conversations"]) {
                    for row in rows {
                        El("li", ["class": row.unread ? "topic-row unread" : "topic-row", "id": "conversation-\(row.id)"]) {
                            El("a", ["class": "topic-title", "href": Paths.conversation(id: row.id)]) {
                                T(row.others.isEmpty ? t("messages.nobody_else") : row.others.map(c.shownName).joined(separator: ", "))
                            }
                            if row.fromModerators {
                                T(" ")
                                El("span", ["class": "badge"]) { T(t("messages.from_moderators")) }
                            }
                            if row.unread {
                                T(" ")
                                El("span", ["class": "badge badge-unread"]) { T(t("messages.unread_badge")) }
                            }
                            if row.muted {
                                T(" ")
                                El("span", ["class": "badge badge-private"]) { T(t("messages.muted_badge")) }
                            }
                            El("p", ["class": "topic-meta muted"]) {
                                El("time", ["datetime": DateFormatting.iso(row.lastMessageAt)]) {
                                    T(DateFormatting.dayTime(row.lastMessageAt, locale: c.locale))
                                }
                                if !row.lastExcerpt.isEmpty {
                                    T(" · " + (row.lastAuthor.map { c.shownName($0) } ?? t("messages.you")) + ": " + row.lastExcerpt)
                                }
                            }
                        }
                    }
                }
            }
            if let next {
                El("p") {
                    El("a", ["class": "button button-secondary", "href": next, "rel": "next"]) { T(t("messages.older")) }
                }
            }
        }
    }
}

/// GET /messages/:id: the latest messages (older by keyset), the reply form, and the member's
/// own choices (mute, leave, block, report).
struct ConversationPage {
    let conversation: Conversation
    let participants: [MessageQueries.Participant]
    let messages: [MessageRow]
    let viewer: Member
    let membership: ConversationMember?
    /// The oldest message shown, when there are older ones.
    let olderThan: Int?
    /// The newest page (where new messages appear live).
    var latest = true
    var canWrite = true
    var form = PostForm()
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let id = conversation.id ?? 0
        let others = participants.filter { $0.id != viewer.id }
        let title =
            others.isEmpty ? t("messages.nobody_else") : t("messages.with", ["names": others.map { c.shownName($0.name) }.joined(separator: ", ")])
        return req.page(title, status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("nav", ["aria-label": t("forum.breadcrumb"), "class": "breadcrumb"]) { El("a", ["href": Paths.messages]) { T(t("messages.title")) } }
            El("h1", ["id": "conversation-title"]) { T(title) }
            El("p", ["class": "muted", "id": "conversation-privacy"]) {
                T(t(conversation.fromModerators ? "messages.from_moderators_note" : "messages.privacy_note") + " ")
                El("a", ["href": "/rules"]) { T(t("messages.policy_link")) }
            }
            if let olderThan {
                El("p") {
                    El("a", ["id": "older-messages", "href": Paths.conversation(id: id, before: olderThan), "rel": "prev"]) {
                        T(t("messages.older_messages"))
                    }
                }
            }
            // On the latest page, new messages appear live (live.js); without JavaScript a reload shows them.
            El(
                "ol",
                [
                    "id": "messages", "class": "post-list message-list",
                    "data-live": latest ? "/live?conversation=\(id)&after=\(messages.last?.id ?? 0)" : nil,
                ]
            ) {
                for message in messages {
                    El("li", ["id": "message-\(message.id)", "class": message.authorID == viewer.id ? "post message own" : "post message"]) {
                        El("article", ["aria-labelledby": "message-\(message.id)-author"]) {
                            El("header", ["class": "post-header"]) {
                                El("span", ["class": "post-author", "id": "message-\(message.id)-author"]) { T(c.shownName(message.authorName)) }
                                TeamBadge(role: message.authorRole, context: c)
                                T(" · ")
                                El("time", ["datetime": DateFormatting.iso(message.createdAt)]) {
                                    T(DateFormatting.dayTime(message.createdAt, locale: c.locale))
                                }
                            }
                            if message.erased {
                                El("p", ["class": "post-placeholder muted"]) { T(t("messages.erased")) }
                            } else {
                                El("div", ["class": "prose"]) { CookedHTML(html: message.html) }
                            }
                            if message.authorID != viewer.id && !message.erased && membership != nil {
                                El("div", ["class": "post-actions"]) {
                                    El("a", ["class": "report-link", "href": Paths.messageReport(id: message.id)]) { T(t("messages.report")) }
                                }
                            }
                        }
                    }
                }
            }
            if canWrite {
                El("section", ["aria-labelledby": "reply-heading", "id": "reply"]) {
                    El("h2", ["id": "reply-heading"]) { T(t("messages.reply")) }
                    PostEditor(
                        context: c, action: Paths.conversation(id: id), formID: "message-form", text: form.body ?? "", errors: errors,
                        preview: preview, privacy: privacy, submitLabel: t("messages.send"))
                }
            } else {
                El("p", ["class": "muted", "id": "cannot-write"]) { T(t("messages.cannot_write")) }
            }
            if let membership {
                El("section", ["class": "card", "aria-labelledby": "choices-heading", "id": "conversation-choices"]) {
                    El("h2", ["id": "choices-heading"]) { T(t("messages.choices")) }
                    El("form", ["class": "inline-form", "method": "post", "action": Paths.conversationMute(id: id)]) {
                        CSRFField(token: c.csrfToken)
                        VoidEl("input", ["type": "hidden", "name": "muted", "value": membership.muted ? "off" : "on"])
                        El("button", ["id": "mute-submit", "class": "button button-secondary", "type": "submit"]) {
                            T(t(membership.muted ? "messages.unmute" : "messages.mute"))
                        }
                    }
                    if participants.count > 2 || conversation.fromModerators == false {
                        El("form", ["class": "inline-form", "method": "post", "action": Paths.conversationLeave(id: id)]) {
                            CSRFField(token: c.csrfToken)
                            El("button", ["id": "leave-submit", "class": "button button-secondary", "type": "submit"]) { T(t("messages.leave")) }
                        }
                    }
                    for other in others where !Guardian.isTeam(roleOnly: other.role) && !other.name.isEmpty {
                        El("form", ["class": "inline-form", "method": "post", "action": Paths.messageBlockPost]) {
                            CSRFField(token: c.csrfToken)
                            VoidEl("input", ["type": "hidden", "name": "who", "value": other.name])
                            El("button", ["class": "button button-secondary block-submit", "type": "submit"]) {
                                T(t("messages.block", ["name": other.name]))
                            }
                        }
                    }
                    El("p", ["class": "hint"]) { T(t("messages.choices_hint")) }
                }
            }
        }
    }
}

/// GET /messages/new: to whom (pseudonyms) and the first message.
struct NewConversationPage {
    var to = ""
    var form = PostForm()
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []
    /// Not yet allowed to start: the reason instead of a form that cannot be sent.
    var notYet = false

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let e = { (field: String) in errors.message(for: field).map { t($0) } }
        return req.page(t("messages.new"), status: notYet ? .forbidden : errors.isEmpty ? .ok : .unprocessableEntity) {
            El("nav", ["aria-label": t("forum.breadcrumb"), "class": "breadcrumb"]) { El("a", ["href": Paths.messages]) { T(t("messages.title")) } }
            El("h1") { T(t("messages.new")) }
            if notYet {
                El("p", ["class": "callout", "id": "not-yet"]) { T(t("messages.not_yet")) }
                if !(form.body ?? "").isEmpty {
                    El("div", ["class": "card"]) {
                        El("h2") { T(t("messages.your_text")) }
                        El("pre", ["class": "kept-text"]) { T(form.body ?? "") }
                    }
                }
            } else {
                El("p", ["class": "lead"]) { T(t("messages.new_lead")) }
                PostEditor(
                    context: c, action: Paths.messagesNew, formID: "conversation-form", text: form.body ?? "", errors: errors, preview: preview,
                    privacy: privacy, submitLabel: t("messages.send"),
                    leadingFields: TextFieldRow(
                        id: "to", type: "text", label: t("messages.to"), hint: t("messages.to_hint"), value: to, error: e("to"), maxLength: 200))
            }
        }
    }
}

/// GET /messages/report/:messageID
struct ReportMessagePage {
    let message: MessageRow
    let conversationID: Int
    var form: ReportForm
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("messages.report_title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("messages.report_title")) }
            El("p", ["class": "lead"]) { T(t("messages.report_lead")) }
            El("div", ["class": "prose card"]) { CookedHTML(html: message.html) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El(
                "form",
                ["id": "report-form", "class": "stack-form", "method": "post", "action": Paths.messageReport(id: message.id), "novalidate": ""]
            ) {
                CSRFField(token: c.csrfToken)
                ReportFields(form: form, errors: errors, context: c)
            }
            El("p") { El("a", ["href": Paths.conversation(id: conversationID)]) { T(t("messages.back")) } }
        }
    }
}

/// GET /settings/messages: who may start a conversation with the member, and whom they blocked.
struct MessageSettingsPage {
    let policy: MessagePolicy
    let blocks: [(id: UUID, name: String)]
    var blockName = ""
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("messages.settings"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t("messages.settings")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "policy-form", "class": "stack-form", "method": "post", "action": Paths.messageSettings]) {
                CSRFField(token: c.csrfToken)
                RadioGroup(
                    name: "policy", legend: t("messages.policy_legend"),
                    options: MessagePolicy.allCases.map { ($0.rawValue, t("messages.policy.\($0.rawValue)")) },
                    selected: policy.rawValue)
                SubmitRow(id: "policy-submit", label: t("messages.save"))
            }
            El("section", ["aria-labelledby": "blocks-heading", "id": "blocks"]) {
                El("h2", ["id": "blocks-heading"]) { T(t("messages.blocks")) }
                El("p", ["class": "hint"]) { T(t("messages.blocks_hint")) }
                if blocks.isEmpty {
                    El("p", ["class": "muted", "id": "no-blocks"]) { T(t("messages.no_blocks")) }
                } else {
                    El("ul", ["id": "blocked-members"]) {
                        for block in blocks {
                            El("li") {
                                T(c.shownName(block.name) + " ")
                                El("form", ["class": "inline-form", "method": "post", "action": Paths.messageUnblock]) {
                                    CSRFField(token: c.csrfToken)
                                    VoidEl("input", ["type": "hidden", "name": "id", "value": block.id.uuidString])
                                    El("button", ["class": "link-button", "type": "submit"]) { T(t("messages.unblock")) }
                                }
                            }
                        }
                    }
                }
                El("form", ["id": "block-form", "class": "stack-form", "method": "post", "action": Paths.messageBlockPost]) {
                    CSRFField(token: c.csrfToken)
                    TextFieldRow(
                        id: "who", type: "text", label: t("messages.block_who"), value: blockName, error: errors.message(for: "who").map { t($0) },
                        maxLength: 60)
                    SubmitRow(id: "block-submit", label: t("messages.block_submit"))
                }
            }
        }
    }
}

/// GET /mod/messages/reports/:itemID: a reported message and the ten before it, nothing more.
struct ModMessageReportPage {
    let item: ReviewItem
    let reported: Message
    let context: [MessageRow]
    let reports: [(reason: String, note: String)]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("mod.messages.title")) {
            El("nav", ["aria-label": t("forum.breadcrumb"), "class": "breadcrumb"]) { El("a", ["href": "/mod/queue"]) { T(t("mod.queue.heading")) } }
            El("h1") { T(t("mod.messages.title")) }
            El("p", ["class": "callout", "id": "look-recorded"]) { T(t("mod.messages.recorded")) }
            El("ul", ["id": "report-reasons"]) {
                for report in reports {
                    El("li") { T(t("flag.reason.\(report.reason)") + (report.note.isEmpty ? "" : " — " + report.note)) }
                }
            }
            El("ol", ["id": "messages", "class": "post-list message-list"]) {
                for message in context {
                    El("li", ["id": "message-\(message.id)", "class": message.id == reported.id ? "post message reported" : "post message"]) {
                        El("article", ["aria-labelledby": "message-\(message.id)-author"]) {
                            El("header", ["class": "post-header"]) {
                                El("span", ["class": "post-author", "id": "message-\(message.id)-author"]) { T(c.shownName(message.authorName)) }
                                T(" · ")
                                El("time", ["datetime": DateFormatting.iso(message.createdAt)]) {
                                    T(DateFormatting.dayTime(message.createdAt, locale: c.locale))
                                }
                                if message.id == reported.id {
                                    T(" ")
                                    El("span", ["class": "badge"]) { T(t("mod.messages.reported")) }
                                }
                            }
                            El("div", ["class": "prose"]) { CookedHTML(html: message.html) }
                        }
                    }
                }
            }
            if let author = reported.authorID {
                El("p") { El("a", ["class": "button button-secondary", "href": Paths.modMember(id: author)]) { T(t("mod.messages.author")) } }
            }
            El("p") { El("a", ["href": Paths.modQueueItem(item)]) { T(t("mod.messages.back_to_queue")) } }
        }
    }
}
