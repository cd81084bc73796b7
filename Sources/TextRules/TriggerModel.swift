import Foundation

/// The learned second signal: a logistic regression over words, word pairs and letter groups
/// (so "gekrast" and "krassen" share "kras"), trained on the evaluation set to tell calm
/// sentences from those that need a moderator (crisis or concern).
///
/// It may only *flag* a post for screening, never alert: every alert stays explained by a
/// rule. Its weights are plain numbers per feature (how much a feature pushes towards "needs a
/// moderator"), kept in a JSON file that `connect train-triggers` writes and anyone can read.
public struct TriggerModel: Sendable, Codable, Equatable {
    /// Log-odds of "needs a moderator" before reading any word.
    public var bias: Double
    /// Per feature, the log-odds it adds when present.
    public var weights: [String: Double]
    /// Flag when the probability is at least this.
    public var threshold: Double
    /// How many sentences it was trained on, per label.
    public var trainedOn: [String: Int]

    /// The features of a text: `w:word`, `b:word_word` and `c:` four-letter groups inside words.
    public static func features(_ text: String) -> Set<String> {
        let words = TextNormaliser.normalise(text).text.split(separator: " ").map(String.init)
        var features = Set<String>()
        for (index, word) in words.enumerated() {
            features.insert("w:" + word)
            if index > 0 { features.insert("b:" + words[index - 1] + "_" + word) }
            let padded = Array("<" + word + ">")
            if padded.count >= 4 {
                for start in 0...(padded.count - 4) { features.insert("c:" + String(padded[start..<start + 4])) }
            }
        }
        return features
    }

    /// Trains a logistic regression on labelled sentences: crisis and concern are "needs a
    /// moderator", calm is not. Features seen fewer than `minimumCount` times are left out (they
    /// mostly remember a single sentence); an L2 penalty keeps the weights small, so the
    /// probabilities stay honest on a set of a few hundred sentences (naive Bayes, tried first,
    /// was sure of itself on a quarter of the calm sentences).
    public static func train(
        _ sentences: [EvaluationSentence], threshold: Double = defaultThreshold, minimumCount: Int = 2, iterations: Int = 400
    ) -> TriggerModel {
        let documents = sentences.map { features($0.text) }
        var counts = [String: Int]()
        for document in documents { for feature in document { counts[feature, default: 0] += 1 } }
        let vocabulary = counts.filter { $0.value >= minimumCount }.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        let rows = documents.map { $0.compactMap { index[$0] } }
        let targets = sentences.map { $0.label == .calm ? 0.0 : 1.0 }
        var weights = [Double](repeating: 0, count: vocabulary.count)
        var bias = 0.0
        let n = Double(max(1, rows.count))
        let penalty = 1.0 / n
        let rate = 0.5
        var gradient = [Double](repeating: 0, count: vocabulary.count)
        for _ in 0..<iterations {
            for k in gradient.indices { gradient[k] = penalty * weights[k] }
            var biasGradient = 0.0
            for (row, target) in zip(rows, targets) {
                var score = bias
                for k in row { score += weights[k] }
                let error = (1 / (1 + exp(-score)) - target) / n
                biasGradient += error
                for k in row { gradient[k] += error }
            }
            bias -= rate * biasGradient * 4
            for k in weights.indices { weights[k] -= rate * gradient[k] * 40 }
        }
        var kept = [String: Double]()
        for (k, feature) in vocabulary.enumerated() where abs(weights[k]) >= 0.0005 {
            kept[feature] = (weights[k] * 10_000).rounded() / 10_000
        }
        var trainedOn = [String: Int]()
        for sentence in sentences { trainedOn[sentence.label.rawValue, default: 0] += 1 }
        return TriggerModel(bias: (bias * 10_000).rounded() / 10_000, weights: kept, threshold: threshold, trainedOn: trainedOn)
    }

    /// Chosen on the cross-validated figures `connect eval-triggers` prints: few calm flags.
    public static let defaultThreshold = 0.95

    /// The probability that a text needs a moderator.
    public func probability(_ text: String) -> Double {
        var score = bias
        for feature in Self.features(text) { score += weights[feature] ?? 0 }
        return 1 / (1 + exp(-score))
    }

    public func flags(_ text: String) -> Bool { probability(text) >= threshold }

    /// The features that push hardest each way, for people to read.
    public func strongest(_ count: Int) -> (towardsModerator: [(String, Double)], towardsCalm: [(String, Double)]) {
        let sorted = weights.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
        return (Array(sorted.prefix(count)).map { ($0.key, $0.value) }, Array(sorted.suffix(count).reversed()).map { ($0.key, $0.value) })
    }

    /// The JSON file, keys sorted so a retrained model shows as a readable diff.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    public static func load(_ data: Data) throws -> TriggerModel {
        try JSONDecoder().decode(TriggerModel.self, from: data)
    }

    /// Cross-validated probabilities: each sentence is judged by a model trained without its
    /// fold, so the figures say how the model does on sentences it has not seen.
    public static func crossValidated(_ sentences: [EvaluationSentence], folds: Int = 5) -> [Double] {
        var probabilities = [Double](repeating: 0, count: sentences.count)
        for fold in 0..<folds {
            let training = sentences.enumerated().filter { $0.offset % folds != fold }.map(\.element)
            let model = train(training)
            for (index, sentence) in sentences.enumerated() where index % folds == fold {
                probabilities[index] = model.probability(sentence.text)
            }
        }
        return probabilities
    }
}
