import Foundation
import TextRules

/// The rules measured on the evaluation set: the figures (`EvaluationReport`) and each rule's
/// hits per label, for the rules page and `connect eval-triggers`. A few hundred scans take a
/// few milliseconds, so it runs on every view of the page.
struct TriggerEvaluationRun {
    struct RuleHits: Sendable, Equatable {
        var crisis = 0
        var concern = 0
        var calm = 0
    }

    let report: EvaluationReport
    /// Per rule id, its hits on the evaluation set.
    let hits: [UUID: RuleHits]
    /// Which sentences raised an alert (by index in the evaluated list).
    let alerted: [Bool]
    /// Which a moderator will see (an alert or a flag).
    let caught: [Bool]

    init(_ compiled: TriggerEngine.Compiled, on sentences: [EvaluationSentence], model: TriggerModel? = nil) {
        var hits = [UUID: RuleHits]()
        var alerted = [Bool]()
        var caught = [Bool]()
        var verdicts = [Verdict]()
        for sentence in sentences {
            let fired = compiled.set.scan(sentence.text).fired.map { compiled.rules[$0.rule] }
            for rule in fired {
                switch sentence.label {
                case .crisis: hits[rule.id, default: RuleHits()].crisis += 1
                case .concern: hits[rule.id, default: RuleHits()].concern += 1
                case .calm: hits[rule.id, default: RuleHits()].calm += 1
                }
            }
            let actions = fired.reduce(into: Set<TriggerRule.Action>()) { $0.formUnion($1.actions) }
            let alert = actions.contains(.alert)
            let flag = actions.contains(.flag) || actions.contains(.hold) || (model?.flags(sentence.text) ?? false)
            alerted.append(alert)
            caught.append(alert || flag)
            verdicts.append(Verdict(alert: alert, flag: flag))
        }
        var index = 0
        self.report = EvaluationReport(sentences) { _ in
            defer { index += 1 }
            return verdicts[index]
        }
        self.hits = hits
        self.alerted = alerted
        self.caught = caught
    }
}

/// What a draft rule change would do, before it is published: the figures before and after,
/// and the sentences that would start or stop raising an alert.
struct TriggerRulePreview {
    let before: EvaluationReport.Figures
    let after: EvaluationReport.Figures
    let newAlerts: [EvaluationSentence]
    let lostAlerts: [EvaluationSentence]
    /// The draft rule's own hits on the set.
    let hits: TriggerEvaluationRun.RuleHits

    init(current: [TriggerRule], draft: TriggerRule, sentences: [EvaluationSentence]) {
        // A new rule has no id yet: it gets one here, for the count of its hits (it is not saved).
        if draft.id == nil { draft.id = UUID() }
        let before = TriggerEvaluationRun(TriggerEngine.compile(current.filter(\.active)), on: sentences)
        var changed = current.filter { $0.active && $0.id != draft.id }
        if draft.active { changed.append(draft) }
        let after = TriggerEvaluationRun(TriggerEngine.compile(changed), on: sentences)
        self.before = before.report.overall
        self.after = after.report.overall
        self.newAlerts = sentences.indices.filter { after.alerted[$0] && !before.alerted[$0] }.map { sentences[$0] }
        self.lostAlerts = sentences.indices.filter { before.alerted[$0] && !after.alerted[$0] }.map { sentences[$0] }
        self.hits = draft.id.flatMap { after.hits[$0] } ?? TriggerEvaluationRun.RuleHits()
    }
}
