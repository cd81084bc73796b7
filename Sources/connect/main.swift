import App
import NIOCore
import NIOPosix
import Vapor

// Swift concurrency runs on the server's event loops instead of a second pool of threads:
// every async middleware and route used to hop between the two (a wake-up and a context switch
// each time), which cost more than the work of a small page.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

// `connect` is both the web server (the default command, `serve`) and the admin command line.
var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
let code: Int32
do {
    // Only the server runs the background jobs: admin commands and benchmarks must not race them.
    var options = RuntimeOptions()
    let command = env.arguments.dropFirst().first
    options.runsJobs = command == nil || command == "serve" || command?.hasPrefix("-") == true
    options.announcesAdminSetup = options.runsJobs
    options.listensToCluster = options.runsJobs
    options.preparesDatabase = command != "backup" && command != "restore"
    let config = try AppConfig.fromEnvironment(environment: env.name)
    if let file = config.clockOffsetFile {
        // The browser suite moves time forward through this file; never in production (refused above).
        options.clock = FileOffsetClock(path: file)
        app.logger.warning("CLOCK_OFFSET_FILE is set: the clock runs ahead by the seconds in that file (tests only)")
    }
    try await configure(app, config: config, options: options)
    let arguments = Array(env.arguments.dropFirst())
    if GracefulServe.isServe(arguments) {
        try await GracefulServe.run(app, arguments: arguments)
    } else {
        try await app.execute()
    }
    code = 0
} catch let error as ConfigError {
    app.logger.critical("\(error.description)")
    code = 1
} catch {
    app.logger.critical("\(String(describing: error))")
    code = 1
}
try await app.asyncShutdown()
exit(code)
