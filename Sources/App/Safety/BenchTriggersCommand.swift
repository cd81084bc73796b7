import Foundation
import TextRules
import Vapor

/// `connect bench-triggers [--rules N] [--chars N] [--runs N]`: measures the trigger matcher.
/// Builds a rule set from the shipped rules plus generated ones (2,000 rules), then scans
/// a 20,000-character text of demo posts many times and prints the build time and the time per
/// scan (median and 99th percentile). Then it times the full scan of a post (triggers and
/// privacy) of single long words of the same length, as multiples of that of the demo text:
/// they were quadratic once (seconds each), and should stay near 1×. Release builds only give
/// meaningful figures.
struct BenchTriggersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "rules", help: "Number of rules (default 2000)") var rules: Int?
        @Option(name: "chars", help: "Characters of text to scan (default 20000)") var chars: Int?
        @Option(name: "runs", help: "Scans to time (default 500)") var runs: Int?
    }

    var help: String { "Measures how fast the trigger matcher scans a long text against many rules." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let ruleCount = max(1, signature.rules ?? 2_000)
        let charCount = max(100, signature.chars ?? 20_000)
        let runs = max(10, signature.runs ?? 500)
        let folder = "\(context.application.connect.config.resourcesDirectory)/Triggers"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        let lexicon = try files.flatMap { try DefaultLexicon.load(from: "\(folder)/\($0)") }
        var text = DemoText(seed: 7)
        var rules = try lexicon.map { try TriggerRuleSet.Rule(pattern: $0.pattern, exceptions: $0.exceptions) }
        // Generated rules in the language's shapes, of the demo vocabulary (as a real lexicon,
        // they rarely all occur in ordinary posts): phrases, stems, alternatives, ordered and
        // unordered proximity, with exceptions.
        var vocabulary: [String] = []
        for _ in 0..<200 {
            vocabulary += text.body(dutch: text.dutch()).split(separator: " ").map { $0.filter(\.isLetter).lowercased() }.filter { $0.count > 3 }
        }
        // Each distinct word alike: a lexicon is not weighted by how often its words occur in
        // posts (drawing from the running text made nearly every rule's words common ones).
        vocabulary = Array(Set(vocabulary)).sorted()
        func word() -> String { vocabulary[text.below(vocabulary.count)] }
        while rules.count < ruleCount {
            let pattern: String
            switch text.below(5) {
            case 0: pattern = "\(word()) \(word()) \(word())"
            case 1: pattern = "\(word()) \(word())*"
            case 2: pattern = "(\(word())|\(word())*|\(word()) \(word())) [\(word())] \(word())"
            case 3: pattern = "\(word()) ... \(word()) ... \(word()) /7"
            default: pattern = "(\(word())|\(word())) & \(word()) /6"
            }
            rules.append(
                try TriggerRuleSet.Rule(pattern: pattern, exceptions: text.below(3) == 0 ? ["\(word()) \(word())", "sentence: \(word())"] : []))
        }
        let patterns = rules
        var sample = ""
        while sample.count < charCount { sample += text.body(dutch: text.dutch()) + "\n\n" }
        sample = String(sample.prefix(charCount - 60)) + " Ik zie het niet meer zitten, echt niet."

        let buildStart = ContinuousClock.now
        let matcher = TriggerRuleSet(rules: patterns)
        let build = ContinuousClock.now - buildStart
        var times: [Double] = []
        var matches = 0
        for _ in 0..<runs {
            let start = ContinuousClock.now
            matches = matcher.scan(sample).fired.count
            let elapsed = (ContinuousClock.now - start).components
            times.append(Double(elapsed.seconds) * 1e6 + Double(elapsed.attoseconds) / 1e12)
        }
        times.sort()
        let median = times[times.count / 2]
        let p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
        let buildMS = Double(build.components.seconds) * 1e3 + Double(build.components.attoseconds) / 1e15
        context.console.print("rules: \(patterns.count), text: \(sample.count) characters, rules fired per scan: \(matches)")
        context.console.print(String(format: "build: %.1f ms; scan: median %.0f µs, p99 %.0f µs over %d runs", buildMS, median, p99, runs))

        // The fastest of a few full scans, in µs, measured in this run so ratios compare alike.
        func fullScan(_ text: String) -> Double {
            var best = Double.infinity
            for _ in 0..<max(3, runs / 50) {
                let start = ContinuousClock.now
                _ = matcher.scan(text)
                _ = PrivacyScanner.scan(text)
                let elapsed = (ContinuousClock.now - start).components
                best = min(best, Double(elapsed.seconds) * 1e6 + Double(elapsed.attoseconds) / 1e12)
            }
            return best
        }
        let ordinary = fullScan(sample)
        context.console.print(
            String(
                format: "full scan (triggers and privacy) of the text: %.0f µs; of one long word of %d characters, as a multiple of that:", ordinary,
                charCount))
        let longWords = [
            ("letters", "v"), ("capitalised", "Vv"), ("digits", "1"), ("dots", "."), ("letters and dots", "v."),
            ("letters and digits", "a1"), ("hyphens", "-"), ("digits and spaces", "1 "),
        ]
        for (name, unit) in longWords {
            let word = String(String(repeating: unit, count: charCount / unit.count + 1).prefix(charCount))
            context.console.print("  \(name): " + String(format: "%.1f×", fullScan(word) / ordinary))
        }
    }
}
