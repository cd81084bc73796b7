import Fluent
import SQLKit

/// The durable mail outbox.
struct M006_CreateOutboxMails: AsyncMigration {
    var name: String { "M006_CreateOutboxMails" }

    func prepare(on database: any Database) async throws {
        try await database.schema("outbox_mails")
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("html_body", .string)
            .field("created_at", .datetime, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("sent_at", .datetime)
            .field("failed_at", .datetime)
            .field("last_error", .string)
            .create()
        try await (database as! any SQLDatabase).create(index: "ix_outbox_mails_due")
            .on("outbox_mails").column("sent_at").column("next_attempt_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox_mails").delete()
    }
}
