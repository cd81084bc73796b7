import Foundation

/// Where and how to reach the mail server, usually read from `SMTP_URL`.
///
/// Accepted forms:
/// - `smtp://user:pass@host:port`: port 25 by default; STARTTLS is used when the server offers it.
/// - `smtp://host:port?starttls=required`: fails unless the server offers STARTTLS.
/// - `smtp://host:port?starttls=never`: plain text throughout.
/// - `smtps://user:pass@host:port`: TLS from the first byte, port 465 by default.
///
/// Optional query items: `helo=NAME` (the name sent with EHLO, "localhost" by default) and
/// `timeout=SECONDS` (for connecting and for each reply, 30 by default).
/// User and password are percent-decoded, so a password with `@`, `:` or `/` must be written
/// percent-encoded (`p%40ss`).
public struct SMTPSettings: Sendable, Equatable, CustomStringConvertible {
    public enum Security: Sendable, Equatable {
        /// No TLS at all.
        case plain
        /// STARTTLS when the server advertises it, plain text otherwise.
        case startTLSIfOffered
        /// STARTTLS, and fail when the server does not advertise it.
        case startTLSRequired
        /// TLS from the start (smtps, usually port 465).
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The name the client gives in EHLO/HELO.
    public var heloName: String
    /// Limit for connecting and for waiting for each reply of the server.
    public var timeout: Duration

    public init(
        host: String,
        port: Int,
        security: Security,
        username: String? = nil,
        password: String? = nil,
        heloName: String = "localhost",
        timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Parses an `smtp://` or `smtps://` URL (see the type's documentation).
    /// The error thrown names SMTP_URL and never repeats the URL (it may hold a password).
    public init(url: String) throws {
        func invalid(_ reason: String) -> SMTPSettingsError {
            SMTPSettingsError(reason: reason)
        }
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased() else {
            throw invalid("it is not a URL")
        }
        let implicitTLS: Bool
        switch scheme {
        case "smtp": implicitTLS = false
        case "smtps": implicitTLS = true
        default: throw invalid("the scheme must be smtp or smtps")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else { throw invalid("it has no host") }
        guard host.allSatisfy({ !$0.isWhitespace && $0 != "/" && $0 != "@" }) else {
            throw invalid("the host is not valid")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw invalid("the port must be between 1 and 65535")
        }
        guard components.path.isEmpty || components.path == "/" else {
            throw invalid("it must not have a path")
        }

        var security: Security = implicitTLS ? .implicitTLS : .startTLSIfOffered
        var heloName = "localhost"
        var timeout = Duration.seconds(30)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name.lowercased() {
            case "starttls":
                guard !implicitTLS else { throw invalid("starttls cannot be combined with smtps") }
                switch value.lowercased() {
                case "required", "require", "always": security = .startTLSRequired
                case "never", "no", "off", "false": security = .plain
                case "", "auto", "optional", "ifoffered": security = .startTLSIfOffered
                default: throw invalid("starttls must be required, never or auto")
                }
            case "helo":
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
                    throw invalid("helo must be a host name")
                }
                heloName = value
            case "timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                    throw invalid("timeout must be a number of seconds")
                }
                timeout = .milliseconds(Int64(seconds * 1000))
            default:
                throw invalid("unknown option \(item.name)")
            }
        }

        // `user` and `password` are the percent-decoded forms.
        let username = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.password
        if password != nil, username == nil {
            throw invalid("it has a password without a user")
        }
        let hasControlCharacter = [username, password].contains { part in
            part?.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) ?? false
        }
        if hasControlCharacter {
            throw invalid("the user or password contains a control character")
        }

        self.init(
            host: host,
            port: components.port ?? (implicitTLS ? 465 : 25),
            security: security,
            username: username,
            password: password,
            heloName: heloName,
            timeout: timeout
        )
    }

    /// True when the host is this machine, where credentials may travel without TLS.
    public var isLoopback: Bool {
        ["127.0.0.1", "localhost", "::1"].contains(host.lowercased())
    }

    /// The settings as a URL-like text, with the password replaced by `***`.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        var userPart = ""
        if let username {
            let encoded = username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? "?"
            userPart = password == nil ? "\(encoded)@" : "\(encoded):***@"
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let mode: String
        switch security {
        case .plain: mode = "?starttls=never"
        case .startTLSIfOffered, .implicitTLS: mode = ""
        case .startTLSRequired: mode = "?starttls=required"
        }
        return "\(scheme)://\(userPart)\(hostPart):\(port)\(mode)"
    }
}

/// `SMTP_URL` could not be understood. The message never includes the URL itself.
public struct SMTPSettingsError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public var reason: String

    public var description: String {
        "SMTP_URL is not a valid smtp:// or smtps:// URL: \(reason)"
    }

    public var errorDescription: String? { description }
}
