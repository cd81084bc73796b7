import Fluent
import NIOConcurrencyHelpers
import SQLKit
import TextRules
import Vapor

/// A rule that fired, where, and why.
struct TriggerHit: Sendable {
    /// Nil for the learned signal, which is not a rule.
    let ruleID: UUID?
    let pattern: String
    let kind: TriggerRule.Kind
    let actions: Set<TriggerRule.Action>
    /// The words around the match, as written.
    let excerpt: String
    /// The matched words themselves, as written.
    let matched: String
    /// The words each part of the pattern matched, as written (the "why" on the rules page).
    var parts: [String] = []
}

/// A rule that matched, but an exception cancelled it (shown on the rules page).
struct CancelledHit: Sendable {
    let pattern: String
    let exception: String
    let matched: String
    let exceptionMatched: String
}

/// What the rules and the learned signal say about a text.
struct TriggerScan: Sendable {
    var hits: [TriggerHit] = []
    var cancelled: [CancelledHit] = []
    /// The learned signal's probability that a moderator should look (nil without a model).
    var modelProbability: Double?
}

/// The active rules compiled into one `TriggerRuleSet`. The set is built once per change of the
/// rules: each scan asks the database for a cheap fingerprint (count and latest change) and
/// rebuilds only when it differs, so several server processes stay in step.
final class TriggerEngine: @unchecked Sendable {
    struct CompiledRule: Sendable {
        let id: UUID
        let pattern: String
        let kind: TriggerRule.Kind
        let actions: Set<TriggerRule.Action>
        let exceptions: [String]
    }

    struct Compiled: Sendable {
        let fingerprint: String
        let rules: [CompiledRule]
        let set: TriggerRuleSet
    }

    private let lock = NIOLock()
    private var compiled: Compiled?
    /// The learned signal (Resources/Triggers/model.json), if there is one.
    let model: TriggerModel?
    /// The learned signal reads this much of a text: enough for any post's tone.
    static let modelCharacters = 5_000

    init(model: TriggerModel? = nil) {
        self.model = model
    }

    /// Reads the model file if there is one; a damaged file is an error at start, not a silent loss.
    static func loadModel(resourcesDirectory: String) throws -> TriggerModel? {
        let path = "\(resourcesDirectory)/Triggers/model.json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try TriggerModel.load(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func scan(_ text: String, on db: any Database) async throws -> TriggerScan {
        scan(text, with: try await compiledRules(on: db))
    }

    /// Scans with a given rule set (the live one, or a draft on the rules page).
    func scan(_ text: String, with current: Compiled) -> TriggerScan {
        let bytes = Array(text.utf8)
        func written(_ place: TriggerRuleSet.Place) -> String {
            var end = min(bytes.count, place.end)
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            return String(decoding: bytes[min(place.start, end)..<end], as: UTF8.self)
        }
        let result = current.set.scan(text)
        var scan = TriggerScan()
        scan.hits = result.fired.map { firing in
            let rule = current.rules[firing.rule]
            // Cut on character boundaries: a UTF-8 continuation byte is never an edge.
            var from = max(0, firing.place.start - 60)
            var to = min(bytes.count, firing.place.end + 60)
            while from > 0 && bytes[from] & 0xC0 == 0x80 { from -= 1 }
            while to < bytes.count && bytes[to] & 0xC0 == 0x80 { to += 1 }
            let excerpt = (from > 0 ? "…" : "") + String(decoding: bytes[from..<to], as: UTF8.self) + (to < bytes.count ? "…" : "")
            return TriggerHit(
                ruleID: rule.id, pattern: rule.pattern, kind: rule.kind, actions: rule.actions, excerpt: excerpt,
                matched: written(firing.place), parts: firing.parts.map(written))
        }
        scan.cancelled = result.cancelled.map { cancelled in
            let rule = current.rules[cancelled.rule]
            return CancelledHit(
                pattern: rule.pattern, exception: rule.exceptions[cancelled.exception], matched: written(cancelled.place),
                exceptionMatched: written(cancelled.exceptionPlace))
        }
        if let model {
            let probability = model.probability(String(text.prefix(Self.modelCharacters)))
            scan.modelProbability = probability
            // The learned signal only flags, and only what no rule already brings to a moderator.
            if probability >= model.threshold && !scan.hits.contains(where: { !$0.actions.isDisjoint(with: [.alert, .flag, .hold]) }) {
                scan.hits.append(
                    TriggerHit(
                        ruleID: nil, pattern: Self.modelPattern, kind: .concern, actions: [.flag],
                        excerpt: String(text.prefix(160)), matched: String(format: "%.2f", probability)))
            }
        }
        return scan
    }

    /// How the learned signal is named where a rule's pattern would be.
    static let modelPattern = "learned signal"

    func compiledRules(on db: any Database) async throws -> Compiled {
        let row = try await (db as! any SQLDatabase).raw(
            """
            SELECT COUNT(*) AS n, MAX(updated_at) AS changed FROM trigger_rules
            """
        ).first()
        let fingerprint =
            "\(try row?.decode(column: "n", as: Int.self) ?? 0)/\(try row?.decode(column: "changed", as: Date?.self)?.timeIntervalSince1970 ?? 0)"
        if let compiled = lock.withLock({ compiled }), compiled.fingerprint == fingerprint { return compiled }
        let rules = try await TriggerRule.query(on: db).filter(\.$active == true).all()
        let fresh = Self.compile(rules, fingerprint: fingerprint)
        lock.withLock { compiled = fresh }
        return fresh
    }

    /// Rules into a set; a rule that does not parse (rules are checked when saved, so only an old
    /// row could) is left out rather than stopping every scan.
    static func compile(_ rules: [TriggerRule], fingerprint: String = "") -> Compiled {
        var list: [CompiledRule] = []
        var compiled: [TriggerRuleSet.Rule] = []
        for rule in rules {
            guard let id = rule.id, let set = try? TriggerRuleSet.Rule(pattern: rule.pattern, exceptions: rule.exceptionList) else { continue }
            list.append(CompiledRule(id: id, pattern: rule.pattern, kind: rule.kind, actions: rule.actionSet, exceptions: rule.exceptionList))
            compiled.append(set)
        }
        let key = list.map { $0.pattern + "\u{1}" + $0.exceptions.joined(separator: "\u{2}") }.joined(separator: "\u{3}")
        return Compiled(fingerprint: fingerprint, rules: list, set: sets.set(for: key) { TriggerRuleSet(rules: compiled) })
    }

    /// Sets built lately, by their rules' text: every server process, database and test
    /// starts from the same shipped rules, and building a set of a few hundred rules is the
    /// costly part of a first scan.
    private static let sets = RecentSets()

    private final class RecentSets: @unchecked Sendable {
        private let lock = NIOLock()
        private var recent: [(key: String, set: TriggerRuleSet)] = []

        func set(for key: String, build: () -> TriggerRuleSet) -> TriggerRuleSet {
            if let found = lock.withLock({ recent.first { $0.key == key }?.set }) { return found }
            let set = build()
            lock.withLock {
                recent.insert((key, set), at: 0)
                if recent.count > 4 { recent.removeLast() }
            }
            return set
        }
    }
}

extension Application {
    private struct TriggerEngineKey: StorageKey { typealias Value = TriggerEngine }

    var triggerEngine: TriggerEngine {
        get {
            if let engine = storage[TriggerEngineKey.self] { return engine }
            let engine = TriggerEngine()
            storage[TriggerEngineKey.self] = engine
            return engine
        }
        set { storage[TriggerEngineKey.self] = newValue }
    }
}

extension Request {
    var triggerEngine: TriggerEngine { application.triggerEngine }
}
