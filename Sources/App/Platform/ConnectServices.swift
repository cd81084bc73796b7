import TextRules
import Vapor

/// The app's own services, built once in `configure` and reached from any request.
/// Clock and mail transport are passed in so tests drive them.
public struct ConnectServices: Sendable {
    public let config: AppConfig
    public let clock: any AppClock
    public let localizer: Localizer
    public let passwordPolicy: PasswordPolicy
    public let mailTransport: any MailTransport
    /// Session lookups kept for a few seconds (see `SessionCache` for what empties it).
    let sessionCache: SessionCache
    /// Signals between nodes (and to this node's live streams): see `ClusterBus`.
    let cluster: ClusterBus
    /// Requests being answered now, for the drain at shutdown (`GracefulServe`).
    let inFlight = InFlightRequests()

    init(config: AppConfig, clock: any AppClock, localizer: Localizer, passwordPolicy: PasswordPolicy, mailTransport: any MailTransport) {
        self.config = config
        self.clock = clock
        self.localizer = localizer
        self.passwordPolicy = passwordPolicy
        self.mailTransport = mailTransport
        self.sessionCache = SessionCache(ttl: TimeInterval(config.sessionCacheSeconds))
        self.cluster = ClusterBus(config: config, sessionCache: sessionCache)
    }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = ConnectServices }

    public var connect: ConnectServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:) has not set up the services") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    var connect: ConnectServices { application.connect }
}
