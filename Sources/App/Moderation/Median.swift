import Foundation

/// The middle value (the mean of the two middle ones for an even count); nil when empty.
/// The dashboard's waiting-time figures use it: a median is not pulled by one slow night.
func median(_ values: [TimeInterval]) -> TimeInterval? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
