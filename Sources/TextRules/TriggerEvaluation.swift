import Foundation

/// The evaluation set (Resources/Triggers/evaluation/*.csv): sentences written for this project
/// the way members write, each labelled with what the safety rules must do with it.
public struct EvaluationSentence: Sendable, Equatable {
    public enum Label: String, Sendable, CaseIterable {
        /// Must raise a crisis alert.
        case crisis
        /// Should be flagged for the next screening, without an alert.
        case concern
        /// Must not raise an alert.
        case calm
    }

    public let language: String
    public let label: Label
    /// The phenomenon it covers (plan, idiom, negation …).
    public let topic: String
    public let text: String

    public init(language: String, label: Label, topic: String, text: String) {
        self.language = language
        self.label = label
        self.topic = topic
        self.text = text
    }
}

public enum EvaluationSet {
    /// `language,label,topic,sentence` with a header line.
    public static func parse(_ csv: String) throws -> [EvaluationSentence] {
        var sentences: [EvaluationSentence] = []
        for (number, line) in csv.split(whereSeparator: \.isNewline).enumerated() where number > 0 {
            let fields = CSV.fields(String(line))
            guard fields.count == 4, let label = EvaluationSentence.Label(rawValue: fields[1]), !fields[3].isEmpty else {
                throw EvaluationSetError.badLine(number + 1, String(line.prefix(80)))
            }
            sentences.append(EvaluationSentence(language: fields[0], label: label, topic: fields[2], text: fields[3]))
        }
        return sentences
    }

    /// Every `*.csv` in a folder, in name order.
    public static func load(directory: String) throws -> [EvaluationSentence] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".csv") }.sorted()
        return try names.flatMap { name in
            let path = (directory as NSString).appendingPathComponent(name)
            return try FileCache.shared.value(for: path, kind: "evaluation") { try parse(String(contentsOfFile: path, encoding: .utf8)) }
        }
    }

    /// The folder in this package (for tests and commands run from the repository).
    public static var packageDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/Triggers/evaluation").path
    }
}

public enum EvaluationSetError: Error, CustomStringConvertible {
    case badLine(Int, String)

    public var description: String {
        switch self {
        case .badLine(let number, let line): "Evaluation set line \(number) needs language,label,topic,sentence: \(line)"
        }
    }
}

/// What the safety rules did with a sentence.
public struct Verdict: Sendable, Equatable {
    public var alert: Bool
    /// Flagged for screening (by a rule, or by the learned signal).
    public var flag: Bool

    public init(alert: Bool, flag: Bool) {
        self.alert = alert
        self.flag = flag
    }
}

/// Recall and precision of the rules on the evaluation set, per language and label, with the
/// sentences they missed and the false alarms.
public struct EvaluationReport: Sendable {
    public struct Counts: Sendable, Equatable {
        public var sentences = 0
        public var alerted = 0
        /// Flagged or alerted: a moderator will see it.
        public var caught = 0
    }

    public struct Figures: Sendable, Equatable {
        public var crisis = Counts()
        public var concern = Counts()
        public var calm = Counts()

        /// Crisis sentences that raised an alert, of all crisis sentences.
        public var crisisRecall: Double { ratio(crisis.alerted, crisis.sentences) }
        /// Alerts that were on crisis sentences, of all alerts.
        public var alertPrecision: Double { ratio(crisis.alerted, crisis.alerted + concern.alerted + calm.alerted) }
        /// Calm sentences that raised an alert.
        public var calmAlertRate: Double { ratio(calm.alerted, calm.sentences) }
        /// Concern sentences a moderator will see (flagged or alerted).
        public var concernCaught: Double { ratio(concern.caught, concern.sentences) }
        /// Calm sentences flagged for screening (work for the moderators, no alarm).
        public var calmFlagRate: Double { ratio(calm.caught, calm.sentences) }

        mutating func add(_ label: EvaluationSentence.Label, _ verdict: Verdict) {
            func count(_ counts: inout Counts) {
                counts.sentences += 1
                if verdict.alert { counts.alerted += 1 }
                if verdict.alert || verdict.flag { counts.caught += 1 }
            }
            switch label {
            case .crisis: count(&crisis)
            case .concern: count(&concern)
            case .calm: count(&calm)
            }
        }

        private func ratio(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 1 : Double(part) / Double(whole) }
    }

    public struct Miss: Sendable, Equatable {
        public let sentence: EvaluationSentence
        public let verdict: Verdict
    }

    public var overall = Figures()
    public var languages: [String: Figures] = [:]
    /// Crisis sentences without an alert, and concern sentences nobody will see.
    public var missed: [Miss] = []
    /// Alerts on calm or concern sentences.
    public var falseAlarms: [Miss] = []

    public init(_ sentences: [EvaluationSentence], verdict: (EvaluationSentence) -> Verdict) {
        for sentence in sentences {
            let result = verdict(sentence)
            overall.add(sentence.label, result)
            languages[sentence.language, default: Figures()].add(sentence.label, result)
            switch sentence.label {
            case .crisis where !result.alert, .concern where !result.alert && !result.flag:
                missed.append(Miss(sentence: sentence, verdict: result))
            case .calm where result.alert, .concern where result.alert:
                falseAlarms.append(Miss(sentence: sentence, verdict: result))
            default: break
            }
        }
    }

    /// The targets the issue set: crisis recall ≥ 0.97 and alerts on at most 2 % of calm sentences.
    public static let recallTarget = 0.97
    public static let calmAlertCeiling = 0.02

    public func meetsTargets(_ figures: Figures) -> Bool {
        figures.crisisRecall >= Self.recallTarget && figures.calmAlertRate <= Self.calmAlertCeiling
    }

    /// The report as `connect eval-triggers` prints it.
    public func text(showSentences: Bool = true) -> String {
        var lines: [String] = []
        func figures(_ name: String, _ f: Figures) {
            lines.append(
                "\(name): crisis recall \(format(f.crisisRecall)) (\(f.crisis.alerted)/\(f.crisis.sentences)), "
                    + "alert precision \(format(f.alertPrecision)), alerts on calm \(percent(f.calmAlertRate)) (\(f.calm.alerted)/\(f.calm.sentences)), "
                    + "concern seen \(format(f.concernCaught)) (\(f.concern.caught)/\(f.concern.sentences), \(f.concern.alerted) as alerts), "
                    + "calm flagged \(percent(f.calmFlagRate)) (\(f.calm.caught)/\(f.calm.sentences))")
        }
        figures("all", overall)
        for language in languages.keys.sorted() { figures(language, languages[language]!) }
        lines.append(
            "targets (crisis recall ≥ \(format(Self.recallTarget)), alerts on calm ≤ \(percent(Self.calmAlertCeiling))): "
                + (meetsTargets(overall) && languages.values.allSatisfy(meetsTargets) ? "met" : "NOT met"))
        if showSentences {
            for (title, list) in [("missed", missed), ("false alarms", falseAlarms)] {
                lines.append("\(title): \(list.count)")
                let sorted = list.sorted { ($0.sentence.language, $0.sentence.label.rawValue) < ($1.sentence.language, $1.sentence.label.rawValue) }
                for miss in sorted {
                    let did = miss.verdict.alert ? "alert" : miss.verdict.flag ? "flag" : "nothing"
                    lines.append(
                        "  [\(miss.sentence.language) \(miss.sentence.label.rawValue) \(miss.sentence.topic) → \(did)] \(miss.sentence.text)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
    private func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
}
