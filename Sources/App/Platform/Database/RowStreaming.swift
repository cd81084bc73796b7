import SQLKit

/// Reads rows one at a time as the database sends them, for reads over many rows (the research
/// figures, the participation fold): memory holds a row, not the whole result. `body` runs for
/// each row in order; an error it throws ends the read and is rethrown here.
func forEachRow(_ query: SQLQueryString, on sql: any SQLDatabase, _ body: @escaping (any SQLRow) throws -> Void) async throws {
    // The driver calls back one row at a time, in order, while this function awaits the end.
    final class Reader: @unchecked Sendable {
        let body: (any SQLRow) throws -> Void
        var error: (any Error)?
        init(_ body: @escaping (any SQLRow) throws -> Void) { self.body = body }
    }
    let reader = Reader(body)
    try await sql.raw(query).run { row in
        guard reader.error == nil else { return }
        do { try reader.body(row) } catch { reader.error = error }
    }
    if let error = reader.error { throw error }
}
