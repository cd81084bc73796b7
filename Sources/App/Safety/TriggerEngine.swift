import Fluent
import NIOConcurrencyHelpers
import SQLKit
import TextRules
import Vapor

/// A rule that matched, and where.
struct TriggerHit: Sendable {
    let ruleID: UUID
    let pattern: String
    let kind: TriggerRule.Kind
    let actions: Set<TriggerRule.Action>
    /// The words around the match, as written.
    let excerpt: String
    /// The matched words themselves, as written.
    let matched: String
}

/// The active rules compiled into one matcher. The matcher is built once per change of the
/// rules: each scan asks the database for a cheap fingerprint (count and latest change) and
/// rebuilds only when it differs, so several server processes stay in step.
final class TriggerEngine: @unchecked Sendable {
    private struct Compiled {
        let fingerprint: String
        let rules: [(id: UUID, pattern: String, kind: TriggerRule.Kind, actions: Set<TriggerRule.Action>)]
        let matcher: TriggerMatcher
    }

    private let lock = NIOLock()
    private var compiled: Compiled?

    func scan(_ text: String, on db: any Database) async throws -> [TriggerHit] {
        let current = try await compiledRules(on: db)
        let bytes = Array(text.utf8)
        var seen = Set<Int>()
        return current.matcher.matches(in: text).compactMap { match in
            guard seen.insert(match.pattern).inserted else { return nil }
            let rule = current.rules[match.pattern]
            // Cut on character boundaries: a UTF-8 continuation byte is never an edge.
            var end = min(bytes.count, match.end)
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            var from = max(0, match.start - 60)
            var to = min(bytes.count, end + 60)
            while from > 0 && bytes[from] & 0xC0 == 0x80 { from -= 1 }
            while to < bytes.count && bytes[to] & 0xC0 == 0x80 { to += 1 }
            let excerpt = (from > 0 ? "…" : "") + String(decoding: bytes[from..<to], as: UTF8.self) + (to < bytes.count ? "…" : "")
            return TriggerHit(
                ruleID: rule.id, pattern: rule.pattern, kind: rule.kind, actions: rule.actions,
                excerpt: excerpt, matched: String(decoding: bytes[match.start..<end], as: UTF8.self))
        }
    }

    private func compiledRules(on db: any Database) async throws -> Compiled {
        let row = try await (db as! any SQLDatabase).raw(
            """
            SELECT COUNT(*) AS n, MAX(updated_at) AS changed FROM trigger_rules
            """
        ).first()
        let fingerprint =
            "\(try row?.decode(column: "n", as: Int.self) ?? 0)/\(try row?.decode(column: "changed", as: Date?.self)?.timeIntervalSince1970 ?? 0)"
        if let compiled = lock.withLock({ compiled }), compiled.fingerprint == fingerprint { return compiled }
        let rules = try await TriggerRule.query(on: db).filter(\.$active == true).all()
        let list = try rules.map { (id: try $0.requireID(), pattern: $0.pattern, kind: $0.kind, actions: $0.actionSet) }
        let fresh = Compiled(fingerprint: fingerprint, rules: list, matcher: TriggerMatcher(patterns: list.map(\.pattern)))
        lock.withLock { compiled = fresh }
        return fresh
    }
}

extension Application {
    private struct TriggerEngineKey: StorageKey { typealias Value = TriggerEngine }

    var triggerEngine: TriggerEngine {
        if let engine = storage[TriggerEngineKey.self] { return engine }
        let engine = TriggerEngine()
        storage[TriggerEngineKey.self] = engine
        return engine
    }
}

extension Request {
    var triggerEngine: TriggerEngine { application.triggerEngine }
}
