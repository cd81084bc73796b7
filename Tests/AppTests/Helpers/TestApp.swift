import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The project's root folder, found from this file's path (Tests/AppTests/Helpers/…).
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// Whether this run uses PostgreSQL (TEST_DATABASE_URL) instead of a SQLite file per test.
let testPostgresURL: String? = {
    let value = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? ""
    return value.isEmpty ? nil : value
}()

/// Runs a test against a fresh app with its own database: a SQLite file in a temporary
/// folder, or its own schema in the PostgreSQL database of TEST_DATABASE_URL.
func withConnectApp(
    clock: ManualClock = ManualClock(),
    mailTransport: (any MailTransport)? = nil,
    adjust: (inout AppConfig) -> Void = { _ in },
    runtime: (inout RuntimeOptions) -> Void = { _ in },
    keepsDatabase: Bool = false,
    _ test: (Application) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("connect-test-\(UUID().uuidString)").path
    var config = try AppConfig.fromEnvironment([:])
    config.dataDirectory = directory
    config.resourcesDirectory = "\(packageRoot)/Resources"
    config.publicDirectory = "\(packageRoot)/Public"
    config.publicURL = "http://connect.test"
    config.bcryptCost = 4
    if let url = testPostgresURL {
        config.databaseURL = url
        // Dozens of apps run at once, each with its own pool: two connections per loop keep
        // them within the test cluster's max_connections.
        config.databasePoolSize = 2
        config.databaseSchema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }
    adjust(&config)

    var options = RuntimeOptions()
    options.clock = clock
    options.mailTransport = mailTransport
    options.runsJobs = false
    options.announcesAdminSetup = false
    options.listensToCluster = false
    runtime(&options)

    let app = try await Application.make(.testing)
    var failure: (any Error)?
    do {
        try await configure(app, config: config, options: options)
        try await test(app)
    } catch {
        failure = error
    }
    if !keepsDatabase, let schema = config.databaseSchema {
        try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(unsafeRaw: schema) CASCADE").run()
    }
    try await app.asyncShutdown()
    if !keepsDatabase { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
    if let failure { throw failure }
}
