import Foundation
import SMTPMail
import Vapor

/// Everything the server reads from its environment, read once at start-up.
///
/// A bad value stops start-up with a message naming the variable; secrets are never printed.
public struct AppConfig: Sendable {
    /// `postgres://…` for PostgreSQL; nil for the embedded SQLite database.
    public var databaseURL: String?
    /// PostgreSQL schema to use (DATABASE_SCHEMA); created if missing. Lets several
    /// communities, or parallel test runs, share one database.
    public var databaseSchema: String?
    /// Folder for the SQLite file and for mail written to disk when SMTP is not configured.
    public var dataDirectory: String
    /// The address members reach the site at; links in emails are built from it, never from the Host header.
    public var publicURL: String
    public var smtpURL: String?
    public var mailFromName: String
    public var mailFromAddress: String
    public var moderatorAlertEmail: String?
    /// Where an unacknowledged crisis alert goes after `alertEscalationMinutes` (ALERT_ESCALATION_EMAIL;
    /// defaults to the moderators' mailbox).
    public var alertEscalationEmail: String?
    public var alertEscalationMinutes: Int = 30
    public var defaultLocale: AppLocale
    /// Where Resources/ (locales, page texts, password list) and Public/ live.
    public var resourcesDirectory: String
    public var publicDirectory: String
    public var bcryptCost: Int
    public var sessionLifetime: TimeInterval
    /// How long a session lookup is kept in memory (SESSION_CACHE_SECONDS, 0 to 60; 0 turns the
    /// cache off). What another server or a background job changes is seen within this bound.
    public var sessionCacheSeconds: Int = 5
    /// When true, the client address is read from X-Forwarded-For (only behind a trusted proxy).
    public var trustProxy: Bool
    /// PostgreSQL connections per event loop (DATABASE_POOL_SIZE, 1 to 64; default 4). A node
    /// holds at most this many per core, plus one for LISTEN and, while starting, one for the
    /// migration lock: size PostgreSQL's max_connections for every node.
    public var databasePoolSize: Int = 4
    /// The bearer token Prometheus sends for /metrics (admins may look without it). Unset: only admins.
    public var metricsToken: String? = nil
    public var rateLimits: RateLimits
    /// How often the job runner looks for work, in seconds.
    public var jobInterval: TimeInterval
    /// Tests only (CLOCK_OFFSET_FILE): a file holding seconds by which the server's clock runs
    /// ahead (`FileOffsetClock`), so the browser suite can move time. Refused in production.
    public var clockOffsetFile: String? = nil
    /// The secret behind the study IDs in research exports (RESEARCH_SECRET, at least 32
    /// characters); unset, a key file in the data folder is made on first use.
    public var researchSecret: String? = nil

    public var usesHTTPS: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// Builds the configuration from environment variables. `environment` is Vapor's name for
    /// where the server runs (`--env`, else VAPOR_ENV): some settings are refused in production.
    public static func fromEnvironment(
        _ env: [String: String] = ProcessInfo.processInfo.environment, environment: String? = nil
    ) throws -> AppConfig {
        let workingDirectory = DirectoryConfiguration.detect().workingDirectory
        func value(_ key: String) -> String? {
            guard let v = env[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        let databaseURL = value("DATABASE_URL")
        if let databaseURL, !(databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://")) {
            throw ConfigError(variable: "DATABASE_URL", reason: "must start with postgres:// (leave it unset for the embedded SQLite database)")
        }
        let publicURL = (value("PUBLIC_URL") ?? "http://127.0.0.1:8080").trimmingSuffix("/")
        guard let parsed = URL(string: publicURL), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ConfigError(variable: "PUBLIC_URL", reason: "must be an http:// or https:// address")
        }
        let locale: AppLocale
        if let raw = value("DEFAULT_LOCALE") {
            guard let l = AppLocale(rawValue: raw.lowercased()) else {
                throw ConfigError(variable: "DEFAULT_LOCALE", reason: "must be nl or en")
            }
            locale = l
        } else {
            locale = .nl
        }
        let from = try MailAddressParser.parse(value("MAIL_FROM") ?? "Depression Connect <no-reply@localhost>", variable: "MAIL_FROM")
        let cost = try Self.integer(value("BCRYPT_COST"), variable: "BCRYPT_COST", default: 12, range: 4...31)
        let scale = try Self.integer(value("RATE_LIMIT_SCALE"), variable: "RATE_LIMIT_SCALE", default: 1, range: 1...1000)
        let sessionDays = try Self.integer(value("SESSION_DAYS"), variable: "SESSION_DAYS", default: 30, range: 1...365)
        let poolSize = try Self.integer(value("DATABASE_POOL_SIZE"), variable: "DATABASE_POOL_SIZE", default: 4, range: 1...64)
        let sessionCache = try Self.integer(value("SESSION_CACHE_SECONDS"), variable: "SESSION_CACHE_SECONDS", default: 5, range: 0...60)
        if let smtp = value("SMTP_URL") {
            do { _ = try SMTPSettings(url: smtp) } catch {
                throw ConfigError(variable: "SMTP_URL", reason: "is not a valid smtp:// or smtps:// address")
            }
        }
        let resources = value("RESOURCES_DIR") ?? workingDirectory + "Resources"
        let metricsToken = value("METRICS_TOKEN")
        if let metricsToken, metricsToken.count < 24 {
            throw ConfigError(variable: "METRICS_TOKEN", reason: "must be at least 24 characters")
        }
        let escalation = try Self.integer(value("ALERT_ESCALATION_MINUTES"), variable: "ALERT_ESCALATION_MINUTES", default: 30, range: 1...1440)
        let researchSecret = value("RESEARCH_SECRET")
        if let researchSecret, researchSecret.count < 32 {
            throw ConfigError(variable: "RESEARCH_SECRET", reason: "must be at least 32 characters")
        }
        let clockOffsetFile = value("CLOCK_OFFSET_FILE")
        if clockOffsetFile != nil, ["prod", "production"].contains((environment ?? value("VAPOR_ENV") ?? "").lowercased()) {
            throw ConfigError(variable: "CLOCK_OFFSET_FILE", reason: "is for tests only and must not be set when the environment is production")
        }
        return AppConfig(
            databaseURL: databaseURL,
            databaseSchema: try value("DATABASE_SCHEMA").map(Self.schemaName),
            dataDirectory: value("DATA_DIR") ?? workingDirectory + "data",
            publicURL: publicURL,
            smtpURL: value("SMTP_URL"),
            mailFromName: from.name,
            mailFromAddress: from.address,
            moderatorAlertEmail: value("MODERATOR_ALERT_EMAIL"),
            alertEscalationEmail: value("ALERT_ESCALATION_EMAIL") ?? value("MODERATOR_ALERT_EMAIL"),
            alertEscalationMinutes: escalation,
            defaultLocale: locale,
            resourcesDirectory: resources.trimmingSuffix("/"),
            publicDirectory: (value("PUBLIC_DIR") ?? workingDirectory + "Public").trimmingSuffix("/"),
            bcryptCost: cost,
            sessionLifetime: TimeInterval(sessionDays) * 86_400,
            sessionCacheSeconds: sessionCache,
            trustProxy: value("TRUST_PROXY") == "1" || value("TRUST_PROXY")?.lowercased() == "true",
            databasePoolSize: poolSize,
            metricsToken: metricsToken,
            rateLimits: RateLimits.standard.scaled(by: scale),
            jobInterval: 2,
            clockOffsetFile: clockOffsetFile,
            researchSecret: researchSecret
        )
    }

    private static func schemaName(_ raw: String) throws -> String {
        guard raw.count <= 50, raw.first?.isLetter == true,
            raw.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        else {
            throw ConfigError(variable: "DATABASE_SCHEMA", reason: "must be lower-case letters, digits and underscores")
        }
        return raw
    }

    private static func integer(_ raw: String?, variable: String, default def: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw else { return def }
        guard let n = Int(raw), range.contains(n) else {
            throw ConfigError(variable: variable, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }
}

/// A configuration problem, naming the variable and never its value.
public struct ConfigError: Error, CustomStringConvertible {
    public let variable: String
    public let reason: String
    public var description: String { "Configuration error: \(variable) \(reason)." }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) && s.count > suffix.count { s.removeLast(suffix.count) }
        return s
    }
}
