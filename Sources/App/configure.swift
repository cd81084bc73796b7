import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOSSL
import SMTPMail
import SQLKit
import TextRules
import Vapor

/// Options that differ between the real server and tests.
public struct RuntimeOptions: Sendable {
    public var clock: any AppClock = SystemClock()
    /// Overrides the transport chosen from SMTP_URL (tests pass an SMTP client to a test server).
    public var mailTransport: (any MailTransport)? = nil
    /// Starts the background job runner (mail delivery). Tests run jobs by hand.
    public var runsJobs = true
    /// Prints the first-administrator setup link at start when no admin exists.
    public var announcesAdminSetup = true
    /// Prepares the database at start: SQLite's file settings and the migrations. Not for
    /// `backup` and `restore`, which must find the database as it is (a restore needs the
    /// SQLite file unopened and a PostgreSQL schema empty).
    public var preparesDatabase = true
    /// Listens for the other nodes' signals on PostgreSQL (the server; not commands).
    public var listensToCluster = true

    public init() {}
}

/// Wires the application: config → database → services → middleware → features.
public func configure(_ app: Application, config: AppConfig, options: RuntimeOptions = RuntimeOptions()) async throws {
    _ = AppMetrics.registry

    // Services
    let localizer = try Localizer.load(from: "\(config.resourcesDirectory)/Locales")
    let passwordList = try String(contentsOfFile: "\(config.resourcesDirectory)/common-passwords.txt", encoding: .utf8)
    let transport: any MailTransport
    if let custom = options.mailTransport {
        transport = custom
    } else if let smtpURL = config.smtpURL {
        transport = SMTPMailTransport(
            client: SMTPClient(settings: try SMTPSettings(url: smtpURL), eventLoopGroup: app.eventLoopGroup, logger: app.logger))
    } else {
        transport = FileMailTransport(directory: "\(config.dataDirectory)/mail", logger: app.logger)
    }
    app.connect = ConnectServices(
        config: config, clock: options.clock, localizer: localizer,
        passwordPolicy: PasswordPolicy(commonPasswordList: passwordList), mailTransport: transport)
    app.passwords.use(.bcrypt(cost: config.bcryptCost))

    // Database
    try await DatabaseSetup.configure(app, config: config, prepare: options.preparesDatabase)
    app.databases.middleware.use(SessionCacheInvalidation(cluster: app.connect.cluster))
    let migrations = Migrations.all(config: config, clock: options.clock)
    app.migrations.add(migrations)
    if options.preparesDatabase {
        try await SchemaMigration.run(app, config: config, known: migrations.map(\.name))
    }

    if config.databaseURL != nil && options.listensToCluster {
        let listener = ClusterListener()
        listener.start(app)
        app.lifecycle.use(listener)
    }

    // Middleware, outermost first. Static files are served before any database work.
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .debug))
    app.middleware.use(
        MiddlewareChain([
            InFlightRequests.Counting(requests: app.connect.inFlight),
            SecurityHeaders(usesHTTPS: config.usesHTTPS),
            ErrorPages(),
            PathGuard(),
            FileMiddleware(publicDirectory: config.publicDirectory + "/", defaultFile: nil),
            SessionAuthenticator(),
            LocaleMiddleware(),
            TimeZoneMiddleware(),
            FlashMiddleware(),
            CSRFProtection(maxBodySize: RequestLimits.maxBodyBytes, secureCookie: config.usesHTTPS),
            PolicyGate(),
            ResearcherConfinement(),
            BreakReturn(),
        ]))
    app.routes.defaultMaxBodySize = ByteCount(integerLiteral: RequestLimits.maxBodyBytes)

    // Features
    try app.register(collection: OperationsRoutes())
    try app.register(collection: HomeRoutes())
    try app.register(collection: PagesRoutes())
    try app.register(collection: AccountsRoutes())
    try app.register(collection: SetupRoutes())
    try app.register(collection: SettingsRoutes())
    try app.register(collection: PolicyRoutes())
    try app.register(collection: SafetyPlanRoutes())
    try app.register(collection: DataRightsRoutes())
    try app.register(collection: NotificationRoutes())
    try app.register(collection: NotificationSettingsRoutes())
    try app.register(collection: UnsubscribeRoutes())
    try app.register(collection: WatchRoutes())
    try app.register(collection: LiveRoutes())
    try app.register(collection: ForumRoutes())
    try app.register(collection: BlogRoutes())
    try app.register(collection: NewsRoutes())
    try app.register(collection: MessageRoutes())
    try app.register(collection: ConsentRoutes())
    try app.register(collection: SearchRoutes())
    try app.register(collection: TwoFactorRoutes())
    try app.register(collection: ProfileRoutes())
    try app.register(collection: AvatarRoutes())
    try app.register(collection: ModerationRoutes())
    try app.register(collection: ScreeningRoutes())
    try app.register(collection: SafetyRoutes())
    try app.register(collection: TriggerRulesRoutes())
    // Created here, before requests share it, with the learned signal if the model file is there.
    app.triggerEngine = TriggerEngine(model: try TriggerEngine.loadModel(resourcesDirectory: config.resourcesDirectory))
    try app.register(collection: ModerationActionRoutes())
    try app.register(collection: ReportRoutes())
    try app.register(collection: AuditRoutes())
    try app.register(collection: SourceAdminRoutes())
    try app.register(collection: PageAdminRoutes())
    try app.register(collection: AdminRoutes())
    try app.register(collection: CategoryAdminRoutes())
    try app.register(collection: SiteSettingsRoutes())
    try app.register(collection: ResponseWatchRoutes())
    try app.register(collection: ResearchRoutes())
    try app.register(collection: StudyRoutes())
    try app.register(collection: AnsweringRoutes())

    app.asyncCommands.use(CreateAdminCommand(), as: "create-admin")
    app.asyncCommands.use(SeedDemoCommand(), as: "seed-demo")
    app.asyncCommands.use(SeedCommunityCommand(), as: "seed-community")
    app.asyncCommands.use(BenchTriggersCommand(), as: "bench-triggers")
    app.asyncCommands.use(EvalTriggersCommand(), as: "eval-triggers")
    app.asyncCommands.use(TrainTriggersCommand(), as: "train-triggers")
    app.asyncCommands.use(BenchDigestCommand(), as: "bench-digest")
    app.asyncCommands.use(SendDigestsCommand(), as: "send-digests")
    app.asyncCommands.use(ResearchTickCommand(), as: "research-tick")
    app.asyncCommands.use(ResearchExportCommand(), as: "research-export")
    app.asyncCommands.use(SeedResearchCommand(), as: "seed-research")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    if options.runsJobs { app.lifecycle.use(JobRunner()) }
    if options.announcesAdminSetup { app.lifecycle.use(AdminSetupAnnouncer()) }
}

/// Limits on what a request may carry.
enum RequestLimits {
    /// Forms are small; a long post fits easily in 256 KiB.
    static let maxBodyBytes = 256 * 1024
}
