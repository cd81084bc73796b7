import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import App

/// The hot paths decode members, posts, topics and categories from hand-kept column lists
/// (RowDecoding.swift). These lists must match the tables exactly: a column added by a
/// migration and forgotten in a list would silently read as its default.
@Suite("Hand-kept column lists match the schema", .serialized)
struct RowDecodingTests {
    @Test("each list names exactly the table's columns, and a row decodes through it")
    func columnsMatchSchema() async throws {
        try await withConnectApp { app in
            let (anna, _) = try await ForumSteps.loggedIn(app)
            _ = try await ForumSteps.startTopic(anna)
            let sql = app.db as! any SQLDatabase
            let lists: [(table: String, columns: String)] = [
                ("members", Member.columns("x")), ("posts", Post.columns("x")),
                ("topics", Topic.columns("x")), ("categories", Category.columns("x")),
            ]
            for (table, list) in lists {
                let row = try #require(try await sql.raw("SELECT * FROM \(unsafeRaw: table) LIMIT 1").first(), "no row in \(table)")
                let schema = Set(row.allColumns)
                let listed = Set(
                    list.components(separatedBy: ", ").compactMap {
                        $0.components(separatedBy: " AS ").first?
                            .replacingOccurrences(of: "x.", with: "")
                    })
                #expect(listed == schema, "\(table): missing \(schema.subtracting(listed).sorted()), unknown \(listed.subtracting(schema).sorted())")
                // And the list reads a real row.
                let aliased = try #require(try await sql.raw("SELECT \(unsafeRaw: list) FROM \(unsafeRaw: table) x LIMIT 1").first())
                switch table {
                case "members": _ = try Member.from(row: aliased, alias: "x")
                case "posts": _ = try Post.from(row: aliased, alias: "x")
                case "topics": _ = try Topic.from(row: aliased, alias: "x")
                default: _ = try Category.from(row: aliased, alias: "x")
                }
            }
        }
    }
}
