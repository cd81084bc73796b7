import Fluent
import Testing
import VaporTesting

@testable import App

@Suite("Shifts, handover and the logbook", .serialized)
struct ShiftTests {
    @Test("the next moderator's handover shows the last logbook entry first, with its open items")
    func handover() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let (first, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let (second, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            let start = try await first.get("/mod/shift")
            #expect(start.text.contains("start-shift-form"))
            try await ModerationSteps.startShift(first)
            #expect(try await first.get("/mod").text.contains("end-shift-link"))
            try await ModerationSteps.endShift(first, peculiarities: "Eerste dienst: rustig", openItems: "Bel-terug niet nodig")
            clock.advance(by: 3_600)
            try await ModerationSteps.startShift(first, kind: "evening")
            try await ModerationSteps.endShift(first, peculiarities: "Tweede dienst: Lid X schreef somber", openItems: "Let op topic 12")
            clock.advance(by: 3_600)

            #expect(try await second.post("/mod/shift/start", [("kind", "morning")]).status == .seeOther)
            let handover = try await second.get("/mod/shift").text
            let newest = try #require(handover.range(of: "Tweede dienst"))
            let older = try #require(handover.range(of: "Eerste dienst"))
            #expect(newest.lowerBound < older.lowerBound)
            #expect(handover.contains("Let op topic 12"))
            #expect(handover.contains("acknowledge-form"))
            #expect(try await second.post("/mod/shift/acknowledge", []).status == .seeOther)
            #expect(try await Shift.query(on: app.db).filter(\.$endedAt == nil).first()?.handoverAcknowledgedAt != nil)
            // The first moderator's own next handover starts after their own last shift.
            try await ModerationSteps.startShift(first)
            let own = try await first.get("/mod/shift").text
            #expect(!own.contains("Eerste dienst"))
        }
    }

    @Test("ending a shift without peculiarities re-renders the form with what was typed")
    func endShiftValidation() async throws {
        try await withConnectApp { app in
            let (moderator, _) = try await ForumSteps.loggedIn(app, role: .moderator)
            try await ModerationSteps.startShift(moderator)
            let response = try await moderator.post(
                "/mod/shift/end",
                [
                    ("atmosphere", "9"), ("peculiarities", "  "),
                    ("open_items", "Getypte open punten"),
                ])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("Getypte open punten"))
            #expect(response.text.contains("form-errors"))
            #expect(try await Shift.query(on: app.db).filter(\.$endedAt == nil).count() == 1)
            #expect(try await LogbookEntry.query(on: app.db).count() == 0)
        }
    }

    @Test("the suggested shift follows the moderator's local time")
    func suggestedKind() {
        let morning = Date(timeIntervalSince1970: 1_789_948_800 + 7 * 3_600)  // 07:00 UTC
        #expect(Shift.Kind.suggested(at: morning, timeZone: "UTC") == .morning)
        #expect(Shift.Kind.suggested(at: morning.addingTimeInterval(12 * 3_600), timeZone: "UTC") == .evening)
        #expect(Shift.Kind.suggested(at: morning.addingTimeInterval(-5 * 3_600), timeZone: "UTC") == .adHoc)
    }
}
