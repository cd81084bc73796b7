/// What a member may do beyond taking part. Stored by its raw value.
public enum Role: String, Codable, Sendable, CaseIterable {
    case member
    case moderator
    case admin
    case researcher
    /// Writes news and publications for the community (admins do too).
    case editor
}
