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
