import Fluent
import Foundation
import SQLKit

/// The research side's second part: questionnaires (each version a JSON definition, frozen once
/// answered), a study's waves (3 days, 3 and 6 months), each member's invitation to a wave with
/// their answers, and the weekly participation table the figures and exports read, kept up to
/// date a batch of events at a time from a cursor.
struct M029_CreateQuestionnaires: AsyncMigration {
    var name: String { "M029_CreateQuestionnaires" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("questionnaires")
            .id()
            .field("study_id", .uuid, .required, .references("studies", "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("version", .int, .required)
            .field("title_nl", .string, .required)
            .field("title_en", .string, .required)
            .field("definition", .string, .required)
            .field("created_by", .uuid, .references("members", "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            // Set by the first answer: from then on a change makes a new version.
            .field("frozen_at", .datetime)
            .unique(on: "study_id", "code", "version", name: "uq_questionnaires_version")
            .create()

        try await database.schema("study_waves")
            .id()
            .field("study_id", .uuid, .required, .references("studies", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("code", .string, .required)
            .field("name_nl", .string, .required)
            .field("name_en", .string, .required)
            // The newest version of this questionnaire when the member starts answering.
            .field("questionnaire_code", .string, .required)
            .field("offset_months", .int, .required)
            .field("offset_days", .int, .required)
            .field("window_days", .int, .required)
            .field("reminder_days", .int)
            .unique(on: "study_id", "code", name: "uq_study_waves_code")
            .create()

        // One member's place in one wave: when it is due and closes, when the invitation and
        // the reminder went out, and how far the answering got.
        try await database.schema("research_invitations")
            .id()
            .field("study_id", .uuid, .required, .references("studies", "id", onDelete: .cascade))
            .field("wave_id", .uuid, .required, .references("study_waves", "id", onDelete: .cascade))
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("due_at", .datetime, .required)
            .field("closes_at", .datetime, .required)
            .field("opened_at", .datetime)
            // When the one reminder is due (nil: the wave has none).
            .field("remind_at", .datetime)
            .field("reminded_at", .datetime)
            .field("emailed", .bool, .required)
            .field("questionnaire_id", .uuid, .references("questionnaires", "id", onDelete: .setNull))
            .field("next_section", .int, .required)
            .field("started_at", .datetime)
            .field("completed_at", .datetime)
            .unique(on: "wave_id", "member_id", name: "uq_research_invitations_wave_member")
            .create()
        try await sql.create(index: "ix_research_invitations_due").on("research_invitations").column("opened_at").column("due_at").run()
        try await sql.create(index: "ix_research_invitations_member").on("research_invitations").column("member_id").run()

        try await database.schema("questionnaire_answers")
            .id()
            .field("invitation_id", .uuid, .required, .references("research_invitations", "id", onDelete: .cascade))
            .field("item_code", .string, .required)
            .field("value", .string, .required)
            .field("answered_at", .datetime, .required)
            .unique(on: "invitation_id", "item_code", name: "uq_questionnaire_answers_item")
            .create()

        // One row per member and week (Monday 00:00 in the community's time zone) with what
        // they did and the week's style, folded from the events by the research job.
        try await database.schema("participation_weekly")
            .id()
            .field("member_id", .uuid, .required, .references("members", "id", onDelete: .cascade))
            .field("week_start", .datetime, .required)
            .field("reads", .int, .required)
            .field("posts", .int, .required)
            .field("replies_to_others", .int, .required)
            .field("reactions_given", .int, .required)
            .field("reactions_received", .int, .required)
            .field("style", .string, .required)
            .unique(on: "member_id", "week_start", name: "uq_participation_weekly_member_week")
            .create()
        try await sql.create(index: "ix_participation_weekly_week").on("participation_weekly").column("week_start").column("style").run()

        // The research figures of a study, computed by the research job from the weekly table
        // (never from all events on a request), as JSON with their time.
        try await database.schema("research_figures")
            .field("study_id", .uuid, .identifier(auto: false), .references("studies", "id", onDelete: .cascade))
            .field("computed_at", .datetime, .required)
            .field("figures", .string, .required)
            .create()

        // How far the weekly table has folded the events.
        try await database.schema("research_cursors")
            .field("name", .string, .identifier(auto: false))
            .field("position", .datetime, .required)
            .create()
        try await sql.create(index: "ix_participation_events_created").on("participation_events").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "ix_participation_events_created").run()
        try await database.schema("research_cursors").delete()
        try await database.schema("research_figures").delete()
        try await database.schema("participation_weekly").delete()
        try await database.schema("questionnaire_answers").delete()
        try await database.schema("research_invitations").delete()
        try await database.schema("study_waves").delete()
        try await database.schema("questionnaires").delete()
    }
}
