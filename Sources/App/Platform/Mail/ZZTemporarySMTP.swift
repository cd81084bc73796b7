// Temporary: replaced by the SMTP client files being written in parallel.
import Vapor
public struct SMTPSettings: Sendable { public init(url: String) throws {} }
public struct SMTPError: Error, Sendable { public var isTransient: Bool }
public struct SMTPClient: Sendable {
    public init(settings: SMTPSettings, eventLoopGroup: any EventLoopGroup, logger: Logger?) {}
    public func send(from: String, recipients: [String], message: String) async throws {}
}
public enum MIMEMessage {
    public static func render(fromName: String, fromAddress: String, to: String, subject: String, textBody: String, htmlBody: String?, date: Date, messageID: String) -> String { textBody }
}
