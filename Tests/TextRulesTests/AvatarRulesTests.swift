import Testing

@testable import TextRules

@Suite("Avatars come from the pseudonym: initials and a calm colour")
struct AvatarRulesTests {
    @Test(
        "initials: the first letter and the start of a second word",
        arguments: [
            ("CalmMeeuw590-1", "CM"), ("stille_reiger", "SR"), ("Roos", "R"), ("roos", "R"), ("_Merel", "M"),
            ("DemoModerator", "DM"), ("anna-lies", "AL"), ("Émile", "É"), ("42zon", "4Z"), ("---", "?"), ("", "?"),
        ])
    func initials(name: String, expected: String) {
        #expect(AvatarRules.initials(of: name) == expected)
    }

    @Test("a name keeps its colour, whatever its case; names spread over every colour")
    func colours() {
        #expect(AvatarRules.colour(for: "Merel") == AvatarRules.colour(for: "MEREL"))
        // Fixed values: a hash that changed between runs or servers would change everyone's picture.
        #expect(AvatarRules.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(AvatarRules.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        let used = Set((1...200).map { AvatarRules.colour(for: "Lid\($0)") })
        #expect(used == Set(AvatarRules.colours))
    }
}
