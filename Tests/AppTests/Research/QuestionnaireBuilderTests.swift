import Fluent
import Foundation
import Testing
import TextRules
import VaporTesting

@testable import App

@Suite("Research: building questionnaires in the browser and as JSON", .serialized)
struct QuestionnaireBuilderTests {
    @Test("a researcher builds a questionnaire section by section, removes an item, and exports and imports it as JSON")
    func build() async throws {
        try await withConnectApp { app in
            let study = try await ResearchSteps.study(app)
            let (researcher, _) = try await ForumSteps.loggedIn(app, role: .researcher)
            let created = try await researcher.post(
                Paths.researchImport(study: study.requireID()),
                [("_form", "new"), ("code", "check-in"), ("title_nl", "Even peilen"), ("title_en", "Checking in")])
            let page = try #require(created.location)
            #expect(page.hasPrefix("/research/questionnaires/"))
            let id = try #require(UUID(uuidString: String(page.dropFirst("/research/questionnaires/".count))))
            let items = Paths.researchQuestionnaireItems(id: id)
            #expect(try await researcher.get(page).text.contains("no-sections"))
            #expect(
                try await researcher.post(
                    items, [("_form", "section"), ("section_code", "today"), ("section_title_nl", "Vandaag"), ("section_title_en", "Today")]
                )
                .status == .seeOther)
            let scale = "0 | Niet | Not\n1 | Een beetje | A little\n2 | Veel | A lot"
            let item = { (code: String, kind: String, options: String, threshold: String) in
                [
                    ("_form", "item"), ("item_section", "today"), ("item_code", code), ("item_kind", kind), ("item_text_nl", "Vraag \(code)"),
                    ("item_text_en", "Question \(code)"), ("item_options", options), ("item_threshold", threshold),
                ]
            }
            #expect(try await researcher.post(items, item("calm", "likert", scale, "")).status == .seeOther)
            #expect(try await researcher.post(items, item("unsafe", "likert", scale, "2")).status == .seeOther)
            #expect(try await researcher.post(items, item("hours", "number", "", "") + [("item_min", "0"), ("item_max", "24")]).status == .seeOther)
            // A broken item: refused with what was typed, on the builder's own page.
            let broken = try await researcher.post(items, item("bad", "single", "ja | Ja", ""))
            #expect(broken.status == .unprocessableEntity && broken.text.contains("ja | Ja") && broken.text.contains("form-errors"))
            #expect(try await researcher.post(Paths.researchQuestionnaireItemDelete(id: id, item: "hours"), []).status == .seeOther)

            var definition = try #require(try await Questionnaire.find(id, on: app.db)).definition()
            #expect(definition.items.map(\.code) == ["calm", "unsafe"] && definition.items[1].safetyThreshold == 2 && definition.problems().isEmpty)
            let json = try await researcher.get(Paths.researchQuestionnaireJSON(id: id))
            #expect(json.status == .ok && json.headers.first(name: .contentDisposition)?.contains("check-in-v1.json") == true)
            #expect(try QuestionnaireDefinition.decode(Data(buffer: json.body)) == definition)

            // Once answered, the version is frozen: the next change makes version 2.
            try await Questionnaire.query(on: app.db).filter(\.$id == id).set(\.$frozenAt, to: app.connect.clock.now()).update()
            definition.sections[0].items[0].text.en = "How calm were you?"
            let changed = try await researcher.post(
                items, [("_form", "json"), ("definition", String(decoding: definition.encoded(), as: UTF8.self))])
            #expect(changed.status == .seeOther && changed.location != page)
            let versions = try await Questionnaire.query(on: app.db).filter(\.$code == "check-in").sort(\.$version).all()
            let first = try versions[0].definition()
            #expect(versions.map(\.version) == [1, 2] && first.items[0].text.en == "Question calm")
            // Importing nonsense says so and keeps the pasted text.
            let nonsense = try await researcher.post(Paths.researchImport(study: study.requireID()), [("json", "{\"code\": \"x\"")])
            #expect(nonsense.status == .unprocessableEntity && nonsense.text.contains("{\"code\": \"x\""))
            // The schedule only accepts the study's questionnaires and sound timing.
            let waves = Paths.researchWaves(study: try study.requireID())
            let refused = try await researcher.post(
                waves, [("wave-0-code", "start"), ("wave-0-questionnaire", "nope"), ("wave-0-window", "14"), ("wave-0-name_nl", "Begin")])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("schedule-error") && refused.text.contains("value=\"Begin\""))
            let timing = try await researcher.post(
                waves, [("wave-0-code", "start"), ("wave-0-questionnaire", "check-in"), ("wave-0-window", "7"), ("wave-0-reminder", "9")])
            #expect(timing.status == .unprocessableEntity)
            #expect(
                try await researcher.post(
                    waves, [("wave-0-code", "start"), ("wave-0-questionnaire", "check-in"), ("wave-0-window", "7"), ("wave-0-reminder", "3")]
                )
                .status == .seeOther)
            #expect(try await QuestionnaireQueries.waves(of: study.requireID(), on: app.db).map(\.code) == ["start"])
        }
    }
}
