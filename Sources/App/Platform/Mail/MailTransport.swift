import SMTPMail
import Vapor

/// A mail ready to leave: one recipient, plain text and optionally HTML.
public struct OutgoingMail: Sendable {
    public var to: String
    public var subject: String
    public var textBody: String
    public var htmlBody: String?
    public var messageID: String
    /// The one-click unsubscribe link (RFC 8058), for notification mail.
    public var unsubscribeURL: String? = nil
}

/// Something that can deliver a mail: SMTP in production, files on disk without SMTP_URL.
public protocol MailTransport: Sendable {
    func deliver(_ mail: OutgoingMail, from: (name: String, address: String), date: Date) async throws
}

/// Delivers over SMTP with the project's own NIO client.
struct SMTPMailTransport: MailTransport {
    let client: SMTPClient

    func deliver(_ mail: OutgoingMail, from: (name: String, address: String), date: Date) async throws {
        let message = MIMEMessage.render(
            fromName: from.name, fromAddress: from.address, to: mail.to, subject: mail.subject,
            textBody: mail.textBody, htmlBody: mail.htmlBody, date: date, messageID: mail.messageID,
            unsubscribeURL: mail.unsubscribeURL)
        try await client.send(from: from.address, recipients: [mail.to], message: message)
    }
}

/// Without SMTP_URL: writes each mail to data/mail/*.eml and logs that it did (never the body,
/// which holds single-use links), so a newcomer can follow a verification link.
struct FileMailTransport: MailTransport {
    let directory: String
    let logger: Logger

    func deliver(_ mail: OutgoingMail, from: (name: String, address: String), date: Date) async throws {
        let message = MIMEMessage.render(
            fromName: from.name, fromAddress: from.address, to: mail.to, subject: mail.subject,
            textBody: mail.textBody, htmlBody: mail.htmlBody, date: date, messageID: mail.messageID,
            unsubscribeURL: mail.unsubscribeURL)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let stamp = Int(date.timeIntervalSince1970)
        let name = "\(stamp)-\(UUID().uuidString.prefix(8)).eml"
        let path = "\(directory)/\(name)"
        try message.write(toFile: path, atomically: true, encoding: .utf8)
        logger.notice("Mail to \(mail.to) (\(mail.subject)) written to \(path)")
        // Also print the text part so the link can be copied from the console.
        logger.notice("\n\(mail.textBody)")
    }
}
