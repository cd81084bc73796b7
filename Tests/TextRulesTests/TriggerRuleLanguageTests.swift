import Testing

@testable import TextRules

@Suite("The trigger rule language: parsing, proximity, exceptions and sentences")
struct TriggerRuleLanguageTests {
    /// Whether `pattern` (with `exceptions`) fires on `text`.
    func fires(_ pattern: String, _ text: String, unless exceptions: [String] = []) throws -> Bool {
        let rule = try TriggerRuleSet.Rule(pattern: pattern, exceptions: exceptions)
        return !TriggerRuleSet(rules: [rule]).scan(text).fired.isEmpty
    }

    func written(_ text: String, _ place: TriggerRuleSet.Place) -> String {
        String(decoding: Array(text.utf8)[place.start..<place.end], as: UTF8.self)
    }

    // MARK: parsing

    @Test("a pattern is read into parts, items, alternatives and a window")
    func parsing() throws {
        let pattern = try TriggerPattern.parse("(pil*|slaap tabletten) & [al] klaar /5")
        #expect(pattern.joiner == .unordered)
        #expect(pattern.window == 5)
        #expect(pattern.parts.count == 2)
        #expect(pattern.parts[0][0].alternatives.map { $0.map(\.text) } == [["pil*"], ["slap", "tableten"]])
        #expect(pattern.parts[1].map(\.optional) == [true, false])
        let ordered = try TriggerPattern.parse("wil … niet ... leven")
        #expect(ordered.joiner == .ordered && ordered.parts.count == 3 && ordered.window == TriggerPattern.defaultWindow)
        // Written words are normalised like text: case, diacritics, repeats and hyphens.
        #expect(try TriggerPattern.parse("Zelf-MOORD").parts[0].map { $0.alternatives[0][0].text } == ["zelfmord"])
    }

    @Test(
        "patterns that cannot be read say why",
        arguments: [
            ("", TriggerPattern.Problem.empty), ("(pil*|tablet*", .unbalanced), ("pil*)", .unbalanced), ("(pil*||tablet)", .emptyGroup),
            ("((a|b)|c)", .nestedGroup), ("a ... b & c", .mixedJoiners), ("... leven", .emptyPart), ("[echt] ... leven", .onlyOptional),
            ("wil ... leven /0", .badWindow), ("wil ... leven /99", .badWindow), ("wil /3 leven", .badWindow), ("do*", .shortStem), ("x", .tooShort),
            ("i ... a", .tooShort),
        ])
    func problems(pattern: String, problem: TriggerPattern.Problem) {
        #expect(throws: problem) { try TriggerPattern.parse(pattern) }
    }

    // MARK: matching

    @Test("stems, alternatives and optional words")
    func words() throws {
        #expect(try fires("snijd*", "ik heb me gesneden en ik snijd weer"))
        #expect(try !fires("snijd*", "ik heb me gesneden"))
        #expect(try fires("(pil*|tablet*) sparen", "ik ben tabletten sparen"))
        #expect(try fires("ik wil [echt] dood", "ik wil echt dood"))
        #expect(try fires("ik wil [echt] dood", "ik wil dood"))
        #expect(try !fires("ik wil [echt] dood", "ik wil heel dood"))
        #expect(try fires("(er een eind|er een einde) aan", "ik wil er een einde aan maken"))
    }

    @Test("ordered proximity: in order, within the window")
    func ordered() throws {
        #expect(try fires("wil ... niet ... leven", "ik wil eigenlijk gewoon niet meer leven"))
        #expect(try fires("leven ... wil ... niet", "leven wil ik niet meer"))  // the word order members use
        #expect(try !fires("wil ... niet ... leven", "leven wil ik niet meer"))  // order matters
        #expect(try !fires("wil ... leven /3", "ik wil dat mijn hele leven"))  // 5 words: past the window
        #expect(try fires("wil ... leven /5", "ik wil dat mijn hele leven"))
    }

    @Test("unordered proximity: all parts, any order, within the window")
    func unordered() throws {
        let pattern = "(pil*|tablet*) & klaar /6"
        #expect(try fires(pattern, "de tabletten liggen al klaar op tafel"))
        #expect(try fires(pattern, "alles ligt klaar, ook de pillen"))
        #expect(try !fires(pattern, "klaar met werken vandaag en daarna heb ik nog even boodschappen gedaan voor de pillen"))
    }

    @Test("a match never crosses a sentence")
    func sentences() throws {
        #expect(try fires("wil ... dood", "Ik wil gewoon dood"))
        #expect(try !fires("wil ... dood", "Ik wil slapen. Dood moe ben ik"))
        #expect(try !fires("wil ... dood", "Ik wil slapen!\nDood moe"))
        #expect(try !fires("(pil*|tablet*) & klaar", "Mijn pillen zijn op. Ik ben er klaar mee, zei mijn zus"))
        // An ellipsis is a pause, not an end; a decimal point is not an end either.
        #expect(try fires("wil niet meer leven", "ik wil niet... meer leven"))
        #expect(try fires("(pil*|tablet*) & klaar", "2.5 mg pillen liggen klaar"))
    }

    @Test("exceptions: an idiom or a negation near the match cancels it; elsewhere it does not")
    func exceptions() throws {
        let dood = ["(schrok|schrik*) [me|mij] dood", "dood (moe|op|gewoon)", "verveel* [me|mij] dood"]
        #expect(try !fires("dood", "ik schrok me dood van die hond", unless: dood))
        #expect(try !fires("dood", "ik verveel me dood", unless: dood))
        #expect(try fires("dood", "ik wil dood", unless: dood))
        // The idiom in another sentence does not cancel the real thing.
        #expect(try fires("dood", "Ik schrok me dood vanmorgen. Ik wil gewoon dood zijn", unless: dood))
        // A negation that governs the match (within three words) cancels it …
        let negations = ["(nooit|niet) ... zelfmoord* /4"]
        #expect(try !fires("zelfmoord*", "ik zou nooit zelfmoord plegen", unless: negations))
        // … one further away in the same sentence does not.
        #expect(try fires("zelfmoord*", "niet dat het iets uitmaakt want ik denk de hele dag aan zelfmoord", unless: ["niet"]))
        #expect(try fires("kill* myself", "I'd kill for a coffee, and honestly I want to kill myself", unless: ["kill for"]))
        // A rule's own words never cancel it: "not" is part of the rule here.
        #expect(try fires("roof & not coming back", "I'm on the roof and not coming back", unless: ["not"]))
        #expect(try !fires("roof & coming back", "I'm on the roof and not coming back", unless: ["not"]))
        // A context exception holds anywhere in the sentence, and only there.
        let lastPost = ["sentence: (holiday|camping)"]
        #expect(try !fires("my last post", "This is my last post for a while, we are off camping in the hills", unless: lastPost))
        #expect(try fires("my last post", "This is my last post. We went camping once, it was lovely", unless: lastPost))
    }

    @Test("how people write: case, diacritics, repeats, digits for letters")
    func normalised() throws {
        #expect(try fires("leven ... wil ... niet", "LEEEEVEN WIL IK NIET MEER"))
        #expect(try fires("ik wil dood", "ik w1l d00d"))
        #expect(try fires("(ik|i) ... níet ... leven", "ik wil niet meer leven"))
        #expect(try fires("ik wil niet meer leven", "ik wíl níet meer léven"))
    }

    @Test("a scan explains where each part matched and which exception cancelled a match")
    func explanation() throws {
        let text = "Ik schrok me dood. De tabletten liggen al klaar op tafel."
        let set = TriggerRuleSet(rules: [
            try .init(pattern: "dood", exceptions: ["schrok* [me] dood"]),
            try .init(pattern: "(pil*|tablet*) & klaar /6"),
        ])
        let scan = set.scan(text)
        let firing = try #require(scan.fired.first)
        #expect(scan.fired.count == 1 && firing.rule == 1)
        #expect(firing.parts.map { written(text, $0) } == ["tabletten", "klaar"])
        #expect(written(text, firing.place) == "tabletten liggen al klaar")
        #expect(written(text, firing.sentence) == "De tabletten liggen al klaar op tafel")
        let cancelled = try #require(scan.cancelled.first)
        #expect(cancelled.rule == 0 && written(text, cancelled.exceptionPlace) == "schrok me dood")
    }

    @Test("the anchor is the least common required word")
    func anchors() throws {
        #expect(TriggerRuleSet.anchor(of: try .parse("ik wil ... niet ... leven")).map(\.text) == ["leven"])
        #expect(TriggerRuleSet.anchor(of: try .parse("[zelfmoord] ik (pil*|tablet*)")).map(\.text).sorted() == ["pil*", "tablet*"])
    }

    @Test("long texts without sentence ends stay bounded")
    func longText() throws {
        let set = TriggerRuleSet(rules: [try .init(pattern: "wil ... niet ... leven"), try .init(pattern: "alfa & beta & gamma")])
        let text = String(repeating: "wil niet alfa beta ", count: 5_000) + "leven"
        #expect(set.scan(text).fired.map(\.rule) == [0])
    }
}
