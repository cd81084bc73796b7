import Fluent
import Foundation
import SQLKit

/// The community's own settings, which admins change at `/admin/settings` (audit-logged).
/// Stored one row per setting in `site_settings`; a setting without a row has its default,
/// so a new setting needs no migration of its values.
struct SiteSettings: Sendable, Equatable {
    /// Every setting: its stored key, form field, default and allowed range.
    enum Key: String, CaseIterable, Sendable {
        /// Hours before a member's topic without a reply from anyone else waits for a response.
        case responseWaitHours = "response.wait_hours"
        /// The same for a member's first topic: sooner, a first step deserves a quick answer.
        case firstTopicWaitHours = "response.first_topic_wait_hours"
        /// Replies in this many distinct heavy topics …
        case careTopics = "care.topics"
        /// … within this many days bring the private care note.
        case careDays = "care.days"

        var defaultValue: Int {
            switch self {
            case .responseWaitHours: 12
            case .firstTopicWaitHours: 6
            case .careTopics: 5
            case .careDays: 7
            }
        }

        var range: ClosedRange<Int> {
            switch self {
            case .responseWaitHours, .firstTopicWaitHours: 1...72
            case .careTopics: 2...50
            case .careDays: 1...60
            }
        }

        /// The form field's name (and id).
        var field: String { rawValue.replacingOccurrences(of: ".", with: "_") }
    }

    private var values: [Key: Int] = [:]

    init(_ values: [Key: Int] = [:]) { self.values = values }

    subscript(key: Key) -> Int {
        get { values[key] ?? key.defaultValue }
        set { values[key] = newValue }
    }

    /// How long a member's topic may go without a reply from someone else.
    var responseWait: TimeInterval { TimeInterval(self[.responseWaitHours]) * 3_600 }
    var firstTopicWait: TimeInterval { TimeInterval(self[.firstTopicWaitHours]) * 3_600 }
    /// The window in which replies to heavy topics are counted for the care note.
    var careWindow: TimeInterval { TimeInterval(self[.careDays]) * 86_400 }
}

/// Reading and writing `site_settings`.
enum SiteSettingsQueries {
    /// Every stored setting in one small query; unknown keys (from a newer version) are ignored.
    static func load(on db: any Database) async throws -> SiteSettings {
        var settings = SiteSettings()
        for row in try await (db as! any SQLDatabase).raw("SELECT name, value FROM site_settings").all() {
            guard let key = SiteSettings.Key(rawValue: try row.decode(column: "name", as: String.self)),
                let value = Int(try row.decode(column: "value", as: String.self)), key.range.contains(value)
            else { continue }
            settings[key] = value
        }
        return settings
    }

    /// Stores the given settings (insert or update), in one statement.
    static func store(_ changes: [(key: SiteSettings.Key, value: Int)], by adminID: UUID, now: Date, on db: any Database) async throws {
        guard !changes.isEmpty else { return }
        let insert = (db as! any SQLDatabase).insert(into: "site_settings").columns("id", "name", "value", "updated_at", "updated_by")
        for change in changes {
            insert.values(SQLBind(UUID()), SQLBind(change.key.rawValue), SQLBind(String(change.value)), SQLBind(now), SQLBind(adminID))
        }
        try await insert.onConflict(with: ["name"]) { update in
            update.set(excludedValueOf: "value").set(excludedValueOf: "updated_at").set(excludedValueOf: "updated_by")
        }.run()
    }
}
