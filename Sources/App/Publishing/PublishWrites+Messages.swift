import Fluent
import Foundation
import SQLKit

/// A new conversation as the publishing path receives it: the members it goes to (checked:
/// they exist and may be reached), and what was wrong with the form.
struct NewConversationDraft: Sendable {
    var recipients: [Member]
    /// The writer's first post has been screened (one of the conditions for starting).
    var firstPostScreened: Bool
    /// Started by a moderator for the team ("from the moderators").
    var fromModerators = false
    var errors = FormErrors()
}

/// Private messages on the publishing path: the same safety check (crisis help and alert with
/// the matched words only, blocking rules, the privacy nudge), Markdown cooked once, and
/// notifications; never the forum's search, screening or review of the text.
extension PublishWrites {
    func newConversation(_ draft: NewConversationDraft, body: String, html: String) async throws -> PublishedText {
        let now = context.now
        let senderID = try context.actor.requireID()
        let conversation = Conversation(startedBy: senderID, fromModerators: draft.fromModerators, now: now)
        try await conversation.create(on: context.db)
        let conversationID = try conversation.requireID()
        for memberID in [senderID] + draft.recipients.compactMap(\.id) {
            try await ConversationMember(conversationID: conversationID, memberID: memberID, now: now).create(on: context.db)
        }
        return try await message(in: conversation, body: body, html: html)
    }

    func message(in conversation: Conversation, body: String, html: String) async throws -> PublishedText {
        let now = context.now
        let db = context.db
        let senderID = try context.actor.requireID()
        let conversationID = try conversation.requireID()
        let message = Message(conversationID: conversationID, authorID: senderID, markdown: body, html: html, now: now)
        try await message.create(on: db)
        let messageID = try message.requireID()
        conversation.lastMessageID = messageID
        conversation.lastMessageAt = now
        try await conversation.save(on: db)
        try await MessageQueries.markRead(conversationID, memberID: senderID, upTo: messageID, on: db)
        // The moderators hear of a crisis with the writer, the time and the words: never the conversation.
        let config = context.services.config
        let place = context.services.localizer.text("mail.alert.private_message", config.defaultLocale)
        try await SafetyWrites(context: context).apply(safety, post: nil, topicTitle: place, reviewable: false)
        try await Notifier.messageSent(in: conversationID, by: senderID, on: db, now: now)
        var published = PublishedText(topic: nil, post: nil, safety: safety)
        published.conversationID = conversationID
        published.messageID = messageID
        return published
    }
}
