import Vapor

// The benchmarks' ceiling: a bare Vapor application with one plaintext route and nothing
// else (Vapor's default middleware only, no database). `scripts/bench-forum` starts it beside
// the server and reports every page as a share of what this serves in the same run.
//
//   ceiling --port 8099
var env = try Environment.detect(arguments: ["ceiling"])
let arguments = CommandLine.arguments
let port = arguments.firstIndex(of: "--port").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 8099
env.arguments = ["ceiling", "serve", "--hostname", "127.0.0.1", "--port", String(port)]
let app = try await Application.make(env)
app.logger.logLevel = .warning
app.get { _ in "ok\n" }
try await app.execute()
try await app.asyncShutdown()
