import Fluent
import SQLKit

/// The few places where SQLite and PostgreSQL differ, in one spot.
enum DatabaseDialect: Sendable {
    case sqlite
    case postgres

    init(_ database: any Database) {
        self = (database as? any SQLDatabase)?.dialect.name == "postgresql" ? .postgres : .sqlite
    }

    /// Row locking for job claiming: PostgreSQL lets several nodes claim without waiting on
    /// each other; SQLite has a single writer, so its UPDATE … RETURNING is already exclusive.
    var skipLockedClause: String {
        switch self {
        case .postgres: " FOR UPDATE SKIP LOCKED"
        case .sqlite: ""
        }
    }
}

extension DatabaseDialect {
    /// A timestamp column plus a number of seconds, as an SQL expression. SQLite keeps dates
    /// as seconds since 1970 (SQLiteNIO's encoding); PostgreSQL as timestamptz.
    func adding(seconds: Int, to column: String) -> String {
        switch self {
        case .sqlite: "(\(column) + \(seconds))"
        case .postgres: "(\(column) + interval '\(seconds) seconds')"
        }
    }
}
