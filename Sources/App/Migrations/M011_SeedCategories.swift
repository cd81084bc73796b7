import Fluent
import Foundation
import SQLKit

/// The eight themes of the forum, from the study of the real platform.
struct M011_SeedCategories: AsyncMigration {
    var name: String { "M011_SeedCategories" }
    let now: @Sendable () -> Date

    static let themes: [(slug: String, nl: String, en: String, descriptionNL: String, descriptionEN: String)] = [
        (
            "introduce-yourself", "Stel je voor", "Introduce yourself",
            "Zeg hallo en vertel iets over jezelf, zoveel of zo weinig als je wilt.",
            "Say hello and tell others a little about yourself, as much or as little as you like."
        ),
        (
            "living-with-depression", "Leven met depressie", "Living with depression",
            "Hoe depressie voor jou is, van dag tot dag.",
            "What depression is like for you, day by day."
        ),
        (
            "treatment-and-medication", "Behandeling en medicatie", "Treatment and medication",
            "Ervaringen met therapie, medicijnen en zorg.",
            "Experiences with therapy, medication and care."
        ),
        (
            "coping-and-self-care", "Omgaan met depressie en zelfzorg", "Coping and self-care",
            "Wat jou helpt om erdoorheen te komen, groot of klein.",
            "What helps you get through, big or small."
        ),
        (
            "self-insight", "Zelfinzicht en reflectie", "Self-insight and reflection",
            "Wat je over jezelf hebt geleerd.",
            "What you have learned about yourself."
        ),
        (
            "work-study-daily-life", "Werk, studie en dagelijks leven", "Work, study and daily life",
            "Werk, school, het huishouden en al het andere.",
            "Work, school, the household and everything else."
        ),
        (
            "relationships", "Relaties en je omgeving", "Relationships and the people around you",
            "Partner, familie, vrienden en collega's.",
            "Partners, family, friends and colleagues."
        ),
        (
            "recovery-hope-strength", "Herstel, hoop en kracht", "Recovery, hope and strength",
            "Stappen vooruit, en wat je op de been houdt.",
            "Steps forward, and what keeps you going."
        ),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (index, theme) in Self.themes.enumerated() {
            try await sql.insert(into: "categories")
                .columns("slug", "position", "name_nl", "name_en", "description_nl", "description_en", "archived", "created_at")
                .values(
                    SQLBind(theme.slug), SQLBind(index + 1), SQLBind(theme.nl), SQLBind(theme.en),
                    SQLBind(theme.descriptionNL), SQLBind(theme.descriptionEN), SQLBind(false), SQLBind(now())
                )
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).delete(from: "categories")
            .where("slug", .in, Self.themes.map(\.slug)).run()
    }
}
