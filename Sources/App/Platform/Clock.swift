import Foundation
import NIOConcurrencyHelpers

/// The time, passed in so tests can move it.
public protocol AppClock: Sendable {
    func now() -> Date
}

/// The real clock.
public struct SystemClock: AppClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that tests set and advance by hand.
public final class ManualClock: AppClock {
    private let current: NIOLockedValueBox<Date>
    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { current = .init(start) }
    public func now() -> Date { current.withLockedValue { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLockedValue { $0 += seconds } }
}

/// The real time moved by a number of seconds read from a file at every call. For the browser
/// suite only (`CLOCK_OFFSET_FILE`, refused in production): it moves a running server's clock
/// forward, so a journey can see what happens 12 hours later. A missing or unreadable file
/// moves nothing.
public struct FileOffsetClock: AppClock {
    let path: String

    public init(path: String) { self.path = path }

    public func now() -> Date {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let seconds = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), seconds.isFinite
        else { return Date() }
        return Date().addingTimeInterval(seconds)
    }
}
