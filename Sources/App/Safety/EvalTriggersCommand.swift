import ConsoleKitCommands
import Fluent
import Foundation
import TextRules
import Vapor

/// `connect eval-triggers [--rules FOLDER] [--set FOLDER] [--quiet]`: recall and precision of
/// the trigger rules on the evaluation set, per language and label, with the missed sentences
/// and the false alarms; then how the learned signal does, cross-validated (each sentence
/// judged by a model trained without it), alone and beside the rules.
///
/// By default it measures the repository's rules (Resources/Triggers/*.csv) on the repository's
/// set; `--database` measures the live rules on the live set (with the admins' additions).
struct EvalTriggersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "rules", help: "Folder of rule CSV files (default Resources/Triggers)") var rules: String?
        @Option(name: "set", help: "Folder of evaluation CSV files (default Resources/Triggers/evaluation)") var set: String?
        @ConsoleKitCommands.Flag(name: "database", help: "Measure the rules and sentences in the database instead") var database: Bool
        @ConsoleKitCommands.Flag(name: "quiet", help: "Figures only, without the sentences") var quiet: Bool
    }

    var help: String { "Prints how the trigger rules do on the evaluation set (recall, precision, misses, false alarms)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let triggers = "\(app.connect.config.resourcesDirectory)/Triggers"
        let sentences: [EvaluationSentence]
        let compiled: TriggerEngine.Compiled
        if signature.database {
            sentences = try await TriggerQueries(db: app.db).evaluationSentences()
            compiled = try await app.triggerEngine.compiledRules(on: app.db)
        } else {
            sentences = try EvaluationSet.load(directory: signature.set ?? "\(triggers)/evaluation")
            compiled = TriggerEngine.compile(try Self.rules(in: signature.rules ?? triggers).filter(\.active))
        }
        let run = TriggerEvaluationRun(compiled, on: sentences)
        context.console.print("rules: \(compiled.rules.count), sentences: \(sentences.count)")
        context.console.print(run.report.text(showSentences: !signature.quiet))

        // The learned signal, on sentences it was not trained on, at a few thresholds.
        let probabilities = TriggerModel.crossValidated(sentences)
        let threshold =
            (try? TriggerEngine.loadModel(resourcesDirectory: app.connect.config.resourcesDirectory))??.threshold ?? TriggerModel.defaultThreshold
        context.console.print("learned signal (5-fold cross-validated; it only flags, never alerts; the model file flags from \(threshold)):")
        for cut in Array(Set([0.5, 0.8, 0.9, 0.95, 0.98, 0.99, threshold])).sorted() {
            let flagged = probabilities.map { $0 >= cut }
            let both = Self.combined(run, flagged: flagged, sentences: sentences)
            var alone = [EvaluationSentence.Label: (Int, Int)]()
            for (index, sentence) in sentences.enumerated() {
                let (seen, total) = alone[sentence.label] ?? (0, 0)
                alone[sentence.label] = (seen + (flagged[index] ? 1 : 0), total + 1)
            }
            func share(_ label: EvaluationSentence.Label) -> Double {
                Double(alone[label]?.0 ?? 0) / Double(max(1, alone[label]?.1 ?? 0))
            }
            context.console.print(
                String(
                    format:
                        "  from %.2f: alone flags crisis %.3f, concern %.3f, calm %.1f %%; with the rules a moderator sees crisis %.3f, concern %.3f, calm %.1f %%",
                    cut, share(.crisis), share(.concern), share(.calm) * 100, both.crisis, both.concern, both.calm * 100))
        }
    }

    /// Every active rule in the folder's CSV files, as rules the engine can compile.
    static func rules(in folder: String) throws -> [TriggerRule] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }.sorted()
        return try files.flatMap { try DefaultLexicon.load(from: "\(folder)/\($0)") }.map { entry in
            let rule = TriggerRule()
            rule.id = UUID()
            rule.take(entry)
            return rule
        }
    }

    /// Share of sentences a moderator sees (alert, rule flag or learned flag), per label.
    private static func combined(_ run: TriggerEvaluationRun, flagged: [Bool], sentences: [EvaluationSentence]) -> (
        crisis: Double, concern: Double, calm: Double
    ) {
        var seen = [EvaluationSentence.Label: Int]()
        var total = [EvaluationSentence.Label: Int]()
        let caught = run.caught
        for (index, sentence) in sentences.enumerated() {
            total[sentence.label, default: 0] += 1
            if caught[index] || flagged[index] { seen[sentence.label, default: 0] += 1 }
        }
        func share(_ label: EvaluationSentence.Label) -> Double { Double(seen[label] ?? 0) / Double(max(1, total[label] ?? 0)) }
        return (share(.crisis), share(.concern), share(.calm))
    }
}

/// `connect train-triggers [--set FOLDER] [--out FILE] [--threshold P]`: trains the learned
/// signal on the evaluation set and writes it (Resources/Triggers/model.json), then prints the
/// features that weigh most each way so anyone can see what it learned.
struct TrainTriggersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "set", help: "Folder of evaluation CSV files (default Resources/Triggers/evaluation)") var set: String?
        @Option(name: "out", help: "Where to write the model (default Resources/Triggers/model.json)") var out: String?
        @Option(name: "threshold", help: "Probability from which it flags (default 0.95)") var threshold: Double?
    }

    var help: String { "Trains the learned trigger signal (flags only) on the evaluation set and writes its weights." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let triggers = "\(context.application.connect.config.resourcesDirectory)/Triggers"
        let sentences = try EvaluationSet.load(directory: signature.set ?? "\(triggers)/evaluation")
        let model = TriggerModel.train(sentences, threshold: signature.threshold ?? TriggerModel.defaultThreshold)
        let out = signature.out ?? "\(triggers)/model.json"
        try model.json().write(to: URL(fileURLWithPath: out))
        context.console.print("trained on \(sentences.count) sentences, \(model.weights.count) features; written to \(out)")
        let (up, down) = model.strongest(15)
        context.console.print("weighs towards a moderator's look: " + up.map { "\($0.0) \(String(format: "%+.2f", $0.1))" }.joined(separator: ", "))
        context.console.print("weighs towards calm: " + down.map { "\($0.0) \(String(format: "%+.2f", $0.1))" }.joined(separator: ", "))
    }
}
