import Foundation
import Testing

@testable import TextRules

/// A post is scanned for triggers and personal details before it is published; one long word
/// used to take seconds (the email pattern was tried from every letter, each try reading to
/// the word's end).
@Suite("The trigger and privacy scan stays linear on long words", .serialized)
struct ScanHostileTests {
    static let matcher = TriggerMatcher(patterns: (try? DefaultLexicon.load().map(\.pattern)) ?? ["zelfmoord*", "dood"])

    /// Hostile texts of a given length: single long words, and texts of many findings.
    static let shapes: [(name: String, make: @Sendable (Int) -> String)] = [
        ("letters", { fill("v", $0) }),
        ("capitals", { fill("V", $0) }),
        ("a capitalised word", { "V" + fill("v", $0 - 1) }),
        ("digits", { fill("1", $0) }),
        ("dots", { fill(".", $0) }),
        ("letters and dots", { fill("v.", $0) }),
        ("letters and digits", { fill("a1", $0) }),
        ("hyphens", { fill("-", $0) }),
        ("digits and spaces", { fill("1 ", $0) }),
        ("a phone prefix and digits", { "0" + fill("1 ", $0 - 1) }),
        ("a street name", { "V" + fill("v", $0 - 12) + "straat 12345" }),
        ("a caregiver's name", { "dokter V" + fill("v", $0 - 8) }),
        ("many email addresses", { fill("a@b.nl ", $0) }),
        ("many phone numbers", { fill("0612345678 ", $0) }),
        ("many caregivers", { fill("dr Vv ", $0) }),
    ]

    static func fill(_ unit: String, _ size: Int) -> String {
        String(String(repeating: unit, count: size / unit.count + 1).prefix(size))
    }

    /// What publishing does with a text: normalise, match the triggers, look for personal details.
    static func scan(_ text: String) {
        _ = matcher.matches(in: TextNormaliser.normalise(text))
        _ = PrivacyScanner.scan(text)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The fastest of a few scans, each of the text three times, in seconds.
    static func time(_ text: String) -> Double {
        (0..<5).map { _ in
            let start = ContinuousClock.now
            for _ in 0..<3 { scan(text) }
            return seconds(ContinuousClock.now - start)
        }.min()!
    }

    @Test("a hostile text of 20,000 characters scans within 0.5 s (debug)", arguments: shapes.map(\.name))
    func bounded(name: String) {
        let text = Self.shapes.first { $0.name == name }!.make(20_000)
        let start = ContinuousClock.now
        Self.scan(text)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < .milliseconds(500), "\(name) took \(elapsed)")
    }

    /// Eight times the text should take about eight times as long; a quadratic scan takes
    /// sixty-four. The threshold sits between the two with a factor of three to spare either
    /// way, so other tests running beside this one (Swift Testing runs suites in parallel)
    /// cannot tip it; a noisy machine still gets three tries.
    @Test("20,000 characters scan in under 24 times the time of 2,500", arguments: shapes.map(\.name))
    func linear(name: String) {
        let make = Self.shapes.first { $0.name == name }!.make
        let small = make(2_500)
        let large = make(20_000)
        var ratios: [Double] = []
        for _ in 0..<3 {
            let ratio = Self.time(large) / Self.time(small)
            ratios.append(ratio)
            if ratio < 24 { break }
        }
        #expect(ratios.contains { $0 < 24 }, "\(name): 20,000/2,500 characters took \(ratios.map { String(format: "%.1f", $0) }) times as long")
    }

    @Test("an address is found where a longer run of its characters ends, and after the last one")
    func emailStarts() {
        #expect(
            PrivacyScanner.scan(String(repeating: "v", count: 5_000) + "@example.nl") == [
                .init(kind: .email, text: String(repeating: "v", count: 5_000) + "@example.nl")
            ])
        #expect(PrivacyScanner.scan("x@y.zz_w@v.com").map(\.text) == ["x@y.zz", "_w@v.com"])
        #expect(PrivacyScanner.scan("mail: anna.jansen@example.nl, of bel 06-12345678").map(\.kind) == [.email, .phone])
    }
}
