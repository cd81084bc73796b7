import Fluent
import Foundation
import Vapor

/// The admins' settings form, as typed.
struct SiteSettingsForm: Content {
    var response_wait_hours: String?
    var response_first_topic_wait_hours: String?
    var care_topics: String?
    var care_days: String?

    func typed(_ key: SiteSettings.Key) -> String {
        let raw: String?
        switch key {
        case .responseWaitHours: raw = response_wait_hours
        case .firstTopicWaitHours: raw = response_first_topic_wait_hours
        case .careTopics: raw = care_topics
        case .careDays: raw = care_days
        }
        return (raw ?? "").trimmingCharacters(in: .whitespaces)
    }
}

/// An admin changes the community's settings: every value checked, the changed ones stored
/// with one audit event (before → after), in one transaction.
struct ChangeSiteSettings {
    /// The admin acts.
    let context: ServiceContext

    enum Outcome: Sendable {
        case saved
        case unchanged
        case invalid(FormErrors)
        case notAllowed
    }

    func run(_ form: SiteSettingsForm) async throws -> Outcome {
        guard Guardian.canAdminister(context.actor) else { return .notAllowed }
        var errors = FormErrors()
        var wanted = SiteSettings()
        for key in SiteSettings.Key.allCases {
            if let value = Int(form.typed(key)), key.range.contains(value) {
                wanted[key] = value
            } else {
                errors.add(key.field, "site_settings.error.\(key.field)")
            }
        }
        // A first topic never waits longer than any other.
        if errors.isEmpty, wanted[.firstTopicWaitHours] > wanted[.responseWaitHours] {
            errors.add(SiteSettings.Key.firstTopicWaitHours.field, "site_settings.error.first_longer")
        }
        guard errors.isEmpty else { return .invalid(errors) }
        let actor = context.actor
        let now = context.now
        let chosen = wanted
        return try await context.transaction { ctx in
            let current = try await SiteSettingsQueries.load(on: ctx.db)
            let changes = SiteSettings.Key.allCases.filter { current[$0] != chosen[$0] }
            guard !changes.isEmpty else { return .unchanged }
            try await SiteSettingsQueries.store(changes.map { ($0, chosen[$0]) }, by: actor.requireID(), now: now, on: ctx.db)
            let describe = { (settings: SiteSettings) in changes.map { "\($0.rawValue)=\(settings[$0])" }.joined(separator: "\n") }
            try await AuditEvent(
                actorID: actor.id, action: "settings.change", subjectMemberID: nil,
                detail: changes.map(\.rawValue).joined(separator: ", "), createdAt: now, target: "site_settings",
                before: describe(current), after: describe(chosen)
            ).create(on: ctx.db)
            return .saved
        }
    }
}
