import Foundation
import Testing

@testable import TextRules

/// The shipped rules (Resources/Triggers/*.csv) on the shipped evaluation set: a rule change
/// that lowers recall or raises false alarms past the targets fails here, not in production.
@Suite("The trigger rules meet their targets on the evaluation set")
struct TriggerEvaluationTests {
    static let triggers = URL(fileURLWithPath: EvaluationSet.packageDirectory).deletingLastPathComponent().path

    static func shippedRules() throws -> (set: TriggerRuleSet, entries: [DefaultLexicon.Entry]) {
        let files = try FileManager.default.contentsOfDirectory(atPath: triggers).filter { $0.hasSuffix(".csv") }.sorted()
        let entries = try files.flatMap { try DefaultLexicon.load(from: "\(triggers)/\($0)") }.filter(\.active)
        let rules = try entries.map { entry in try TriggerRuleSet.Rule(pattern: entry.pattern, exceptions: entry.exceptions) }
        return (TriggerRuleSet(rules: rules), entries)
    }

    static func report() throws -> EvaluationReport {
        let (set, entries) = try shippedRules()
        return EvaluationReport(try EvaluationSet.load(directory: EvaluationSet.packageDirectory)) { sentence in
            let actions = Set(set.scan(sentence.text).fired.flatMap { entries[$0.rule].actions })
            return Verdict(alert: actions.contains("alert"), flag: actions.contains("flag") || actions.contains("hold"))
        }
    }

    @Test("the set has at least 400 sentences, Dutch and English in equal parts, every label in each")
    func setShape() throws {
        let sentences = try EvaluationSet.load(directory: EvaluationSet.packageDirectory)
        #expect(sentences.count >= 400)
        let dutch = sentences.filter { $0.language == "nl" }
        let english = sentences.filter { $0.language == "en" }
        #expect(dutch.count + english.count == sentences.count)
        #expect(abs(dutch.count - english.count) <= sentences.count / 10, "nl \(dutch.count), en \(english.count)")
        for language in [dutch, english] {
            for label in EvaluationSentence.Label.allCases {
                #expect(language.filter { $0.label == label }.count >= 40)
            }
        }
        #expect(Set(sentences.map(\.text)).count == sentences.count, "no sentence twice")
    }

    @Test("every shipped rule parses, and every one has a note for the moderators")
    func rulesParse() throws {
        let (_, entries) = try Self.shippedRules()
        #expect(entries.count > 100)
        for entry in entries where entry.kind == "crisis" || entry.kind == "concern" {
            #expect(!entry.note.isEmpty, "\(entry.pattern) has no note")
            #expect(!(entry.kind == "concern" && entry.actions.contains("alert")), "\(entry.pattern): a concern rule only flags")
        }
    }

    @Test("crisis recall at least 0.97 and alerts on at most 2 % of calm sentences, per language and overall")
    func targets() throws {
        let report = try Self.report()
        for (name, figures) in [("all", report.overall)] + report.languages.map({ ($0.key, $0.value) }) {
            #expect(figures.crisisRecall >= EvaluationReport.recallTarget, "\(name): crisis recall \(figures.crisisRecall)")
            #expect(figures.calmAlertRate <= EvaluationReport.calmAlertCeiling, "\(name): alerts on calm \(figures.calmAlertRate)")
            // Concern sentences should mostly reach a moderator, and rarely as an alarm.
            #expect(figures.concernCaught >= 0.8, "\(name): concern seen \(figures.concernCaught)")
        }
        #expect(report.text().contains("targets (crisis recall ≥ 0.970, alerts on calm ≤ 2.0 %): met"))
    }

    @Test("the report counts recall, precision and misses per language and label")
    func reportArithmetic() {
        let sentences = [
            EvaluationSentence(language: "nl", label: .crisis, topic: "t", text: "a"),
            EvaluationSentence(language: "nl", label: .crisis, topic: "t", text: "b"),
            EvaluationSentence(language: "en", label: .calm, topic: "t", text: "c"),
            EvaluationSentence(language: "en", label: .concern, topic: "t", text: "d"),
        ]
        let report = EvaluationReport(sentences) { Verdict(alert: $0.text == "a" || $0.text == "c", flag: $0.text == "d") }
        #expect(report.overall.crisisRecall == 0.5)
        #expect(report.overall.alertPrecision == 0.5)
        #expect(report.overall.calmAlertRate == 1)
        #expect(report.overall.concernCaught == 1)
        #expect(report.languages["nl"]?.crisisRecall == 0.5)
        #expect(report.missed.map(\.sentence.text) == ["b"])
        #expect(report.falseAlarms.map(\.sentence.text) == ["c"])
        #expect(!report.meetsTargets(report.overall))
    }

    @Test("a CSV line without four fields or with an unknown label is an error that names the line")
    func badSet() throws {
        #expect(throws: EvaluationSetError.self) { try EvaluationSet.parse("language,label,topic,sentence\nnl,panic,x,zin") }
        #expect(throws: EvaluationSetError.self) { try EvaluationSet.parse("language,label,topic,sentence\nnl,calm,zin") }
        #expect(
            try EvaluationSet.parse("language,label,topic,sentence\nnl,calm,idiom,\"ik schrok me dood, echt\"").first?.text
                == "ik schrok me dood, echt")
    }
}

@Suite("The learned signal")
struct TriggerModelTests {
    static let training: [EvaluationSentence] = {
        var sentences: [EvaluationSentence] = []
        for (index, text) in [
            "ik wil dood", "ik wil niet meer leven", "de pillen liggen klaar", "niemand zou me missen", "ik heb me gekrast",
            "I want to die", "nobody would miss me", "the pills are ready", "i cut myself again", "i cannot go on",
        ].enumerated() {
            sentences.append(EvaluationSentence(language: index < 5 ? "nl" : "en", label: .crisis, topic: "t", text: text))
        }
        for (index, text) in [
            "fijne dag gehad", "ik ga naar de markt", "de therapie helpt", "lekker gewandeld", "ik schrok me dood van de kat",
            "had a nice walk", "therapy is going well", "going to the market", "my cat is funny", "killing time at the station",
        ].enumerated() {
            sentences.append(EvaluationSentence(language: index < 5 ? "nl" : "en", label: .calm, topic: "t", text: text))
        }
        return sentences
    }()

    @Test("features are words, word pairs and letter groups of the normalised text")
    func features() {
        let features = TriggerModel.features("Ik WIL d00d")
        #expect(features.contains("w:dod") && features.contains("b:wil_dod") && features.contains("c:<dod") && features.contains("c:dod>"))
    }

    @Test("trained on labelled sentences it ranks a crisis sentence above a calm one, also for words it saw only in part")
    func learns() {
        let model = TriggerModel.train(Self.training, minimumCount: 1)
        #expect(model.probability("ik wil echt dood") > model.probability("ik ga naar de markt"))
        #expect(model.probability("nobody would miss me") > model.probability("had a nice walk"))
        #expect(model.trainedOn == ["crisis": 10, "calm": 10])
    }

    @Test("its weights survive the JSON file, and the strongest features can be read")
    func file() throws {
        let model = TriggerModel.train(Self.training, minimumCount: 1)
        #expect(try TriggerModel.load(model.json()) == model)
        let (up, down) = model.strongest(3)
        #expect(up.count == 3 && down.count == 3 && up[0].1 > 0 && down[0].1 < 0)
    }

    @Test("cross-validation judges each sentence by a model that did not see it")
    func crossValidation() {
        let probabilities = TriggerModel.crossValidated(Self.training, folds: 5)
        #expect(probabilities.count == Self.training.count && probabilities.allSatisfy { (0...1).contains($0) })
    }
}
