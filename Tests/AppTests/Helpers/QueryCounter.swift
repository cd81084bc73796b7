import Logging
import NIOConcurrencyHelpers
import Vapor

/// Counts the SQL statements a request runs, by listening to the database's query log.
final class QueryCounter: Sendable {
    private let box = NIOLockedValueBox<[String]>([])

    var statements: [String] { box.withLockedValue { $0 } }
    var count: Int { statements.count }
    func reset() { box.withLockedValue { $0 = [] } }
    fileprivate func record(_ sql: String) { box.withLockedValue { $0.append(sql) } }
}

/// Routes each request's logger (which the database uses) through a counting handler.
struct QueryCountingMiddleware: AsyncMiddleware {
    let counter: QueryCounter

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let counter = self.counter
        request.logger = Logger(label: "query-counter") { _ in CountingLogHandler(counter: counter) }
        return try await next.respond(to: request)
    }
}

private struct CountingLogHandler: LogHandler {
    let counter: QueryCounter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        // SQLKit drivers log each statement as "Executing query" with the SQL in the metadata.
        if let sql = metadata?["sql"] {
            counter.record("\(sql)")
            return
        }
        let text = message.description.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(where: { text.hasPrefix($0) }) {
            counter.record(message.description)
        }
    }
}
