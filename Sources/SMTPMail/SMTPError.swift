/// A failure to deliver over SMTP.
///
/// `isTransient` tells an outbox whether trying again later may help: replies with a 4xx code,
/// connection failures and timeouts are transient; 5xx replies (and mistakes in what we were
/// asked to send, or in the configuration) are permanent.
/// The message never holds credentials or the message body.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    /// The server's reply code, when the server refused something.
    public var code: Int?
    public var message: String
    public var isTransient: Bool

    public init(code: Int?, message: String, isTransient: Bool) {
        self.code = code
        self.message = message
        self.isTransient = isTransient
    }

    /// The server answered `response` where it should have accepted `step`.
    init(step: String, response: SMTPResponse) {
        self.init(
            code: response.code,
            message: "\(step) refused: \(response.code) \(response.text)",
            // 4xx: try again later. 5xx and anything unexpected (a 2xx/3xx out of place): permanent.
            isTransient: (400...499).contains(response.code)
        )
    }

    static func connection(_ message: String) -> SMTPError {
        SMTPError(code: nil, message: message, isTransient: true)
    }

    static func permanent(_ message: String) -> SMTPError {
        SMTPError(code: nil, message: message, isTransient: false)
    }

    public var description: String {
        let kind = isTransient ? "transient" : "permanent"
        if let code {
            return "SMTP error \(code) (\(kind)): \(message)"
        }
        return "SMTP error (\(kind)): \(message)"
    }
}
