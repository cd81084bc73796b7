import Fluent
import Vapor

/// The handover note a moderator writes at the end of a shift, read first by the next shift.
final class LogbookEntry: Model, @unchecked Sendable {
    static let schema = "logbook_entries"

    /// The general atmosphere on a short scale, from tense to calm.
    static let atmosphereRange = 1...5

    @ID(key: .id) var id: UUID?
    @Field(key: "shift_id") var shiftID: UUID
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "atmosphere") var atmosphere: Int
    @Field(key: "atmosphere_note") var atmosphereNote: String
    @Field(key: "peculiarities") var peculiarities: String
    /// Pseudonyms of members to keep an eye on, one per line; shown as links.
    @Field(key: "watch_members") var watchMembers: String
    /// Work the next shift should pick up, one item per line.
    @Field(key: "open_items") var openItems: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var watchList: [String] { Self.lines(watchMembers) }
    var openItemList: [String] { Self.lines(openItems) }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
