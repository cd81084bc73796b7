import Testing

@testable import TextRules

@Suite("Pseudonyms: readable, one script, no look-alikes of members or the team")
struct PseudonymRulesTests {
    typealias Problem = PseudonymRules.Problem

    /// Names accepted until now that pass for someone else: each is refused by the rules, and
    /// its skeleton meets the name it imitates.
    static let lookalikes: [(name: String, imitates: String, problem: Problem)] = [
        ("DemoModer\u{0430}tor", "DemoModerator", .mixedScripts),  // Cyrillic а
        ("\u{0410}dmin", "admin", .mixedScripts),  // Cyrillic А
        ("C\u{0430}lmMeeuw590-1", "CalmMeeuw590-1", .mixedScripts),  // another member's name, Cyrillic а
        ("DemoModerato\u{0301}r", "DemoModerator", .reserved),  // combining acute accent
        ("Demo  Moderator", "DemoModerator", .reserved),  // double space
        ("\u{13A0}emoModerator", "DemoModerator", .mixedScripts),  // Cherokee Ꭰ
        ("\u{1D403}emoModerator", "DemoModerator", .reserved),  // mathematical bold 𝐃
        ("DemoM\u{03BF}derator", "DemoModerator", .mixedScripts),  // Greek ο
    ]

    @Test(
        "look-alikes of members and the team are refused and share the skeleton of what they imitate",
        arguments: lookalikes.indices)
    func lookalike(index: Int) {
        let (name, imitates, problem) = Self.lookalikes[index]
        #expect(PseudonymRules.problem(with: name) == problem)
        #expect(PseudonymRules.skeleton(of: name) == PseudonymRules.skeleton(of: imitates))
    }

    @Test("names that show nothing, or no letter at all, are refused")
    func blankNames() {
        #expect(PseudonymRules.problem(with: "...") == .needsLetterOrDigit)
        #expect(PseudonymRules.problem(with: "-_-") == .needsLetterOrDigit)
        #expect(PseudonymRules.problem(with: "\u{3164}\u{3164}\u{3164}") == .invisible)  // Hangul filler
        #expect(PseudonymRules.problem(with: "\u{FFA0}\u{FFA0}") == .invisible)  // halfwidth Hangul filler
        #expect(PseudonymRules.problem(with: "\u{115F}\u{1160}A") == .invisible)
        #expect(PseudonymRules.problem(with: "\u{2800}\u{2800}") == .invisible)  // braille blank
        for hidden in ["\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{200F}", "\u{2060}", "\u{FEFF}", "\u{00AD}", "\u{034F}"] {
            #expect(PseudonymRules.problem(with: "An\(hidden)na") == .invisible, "U+\(String(hidden.unicodeScalars.first!.value, radix: 16))")
        }
        #expect(PseudonymRules.problem(with: "") == .length)
        #expect(PseudonymRules.problem(with: "   ") == .length)
    }

    @Test(
        "ordinary names in any one script stay accepted",
        arguments: [
            "Anna", "Jan-Willem", "Zoë", "Zoe\u{0308}", "Ольга", "小明", "Quiet Heron", "CalmMeeuw590-1", "Ελένη", "山田たろう",
            "タナカ・ハナコ".replacingOccurrences(of: "・", with: ""), "김민준", "Đorđe", "Søren", "Nguyễn Văn An", "देवी", "Anna.Bel",
            "bram_2", "Teamwork", "Supportive Sam", "Badminton Bas", "Modern Mieke", "Systeemdenker", "Padmini", "Ab",
        ])
    func accepted(name: String) {
        #expect(PseudonymRules.problem(with: name) == nil)
    }

    @Test(
        "bad characters, lengths and separators are refused with their own reason",
        arguments: [
            ("x", Problem.length), (String(repeating: "a", count: 31), .length), ("Anna!", .characters), ("<script>", .characters),
            ("Anna 😊", .characters), ("anna@home", .characters), ("Anna\u{02BC}s", .characters), ("\u{01C3}Anna", .characters),
            ("\u{0301}Anna", .characters), ("Anna \u{0301}Bel", .characters), ("Z\u{0335}\u{0336}\u{0337}algo", .characters),
            ("-Anna", .separators), ("Anna.", .separators), ("Anna--Bel", .separators), ("Anna._Bel", .separators), ("Anna - Bel", .separators),
            ("AnnaΩ", .mixedScripts), ("Ольга1Olga", .mixedScripts), ("Anna小明", .mixedScripts), ("Anna\u{0663}", .mixedScripts),
        ] as [(String, Problem)])
    func refused(name: String, problem: Problem) {
        #expect(PseudonymRules.problem(with: name) == problem)
    }

    @Test("names stored normalised: NFKC, trimmed, one space between words")
    func normalise() {
        #expect(PseudonymRules.normalise("  Anna   de\tVries  ") == "Anna de Vries")
        #expect(PseudonymRules.normalise("Ａｎｎａ") == "Anna")
        #expect(PseudonymRules.normalise("\u{1D403}emo") == "Demo")
        #expect(PseudonymRules.normalise("Zoe\u{0308}") == "Zoë")
        #expect(PseudonymRules.normalise("Anna\u{00A0}Bel") == "Anna Bel")
    }

    @Test("skeletons ignore case, separators, accents and look-alike letters")
    func skeletons() {
        func same(_ a: String, _ b: String) -> Bool { PseudonymRules.skeleton(of: a) == PseudonymRules.skeleton(of: b) }
        #expect(same("ADMIN", "admin") && same("AdmIn", "Admln") && same("admin", "Admln"))
        #expect(same("Jan-Willem", "jan willem") && same("Jan_Willem", "JanWillem"))
        #expect(same("DernoModerator", "DemoModerator"))  // rn reads as m
        #expect(same("M0derator", "Moderator") && same("CalmMeeuw59O-l", "CalmMeeuw590-1"))
        #expect(same("Zoë", "Zoe"))
        #expect(same("Ѕоfіе", "Sofie"))  // all Cyrillic
        #expect(same("ꓮꓓꓟꓲꓠ", "ADMIN"))  // all Lisu
        #expect(same("ΗΑΝΝΑ", "Hanna"))  // all Greek capitals
        #expect(!same("Anna", "Anne") && !same("Ольга", "Olga") && !same("小明", "小朋"))
    }

    @Test("reserved words are refused in any disguise; the team may use them")
    func reserved() {
        for name in [
            "Admin", "ADMIN", "SiteAdmin", "Administrator", "Beheerder", "DemoModerator", "demomoderator", "M0derator",
            "Moderatieteam", "Team Anna", "AnnaTeam", "Crisisteam", "Team2", "Support", "Staff Anna", "Mod",
            "Depression Connect", "DepressionConnect", "Ad Min", "Mod-Erator", "r00t", "ꓮꓓꓟꓲꓠ", "\u{0422}\u{0415}\u{0410}\u{041C}",
        ] {
            #expect(PseudonymRules.reservedWord(in: name) != nil, "\(name)")
        }
        #expect(PseudonymRules.problem(with: "ꓮꓓꓟꓲꓠ") == .reserved)
        for name in ["Teamwork", "Teamspirit", "Supportive Sam", "Modern", "Badminton", "Padmini", "Systeemdenker", "Anna"] {
            #expect(PseudonymRules.reservedWord(in: name) == nil, "\(name)")
        }
        #expect(PseudonymRules.problem(with: "Admin Anna") == .reserved)
        #expect(PseudonymRules.problem(with: "Admin Anna", mayUseTeamWords: true) == nil)
        #expect(PseudonymRules.problem(with: "DemoModerator", mayUseTeamWords: true) == nil)
    }

    @Test("scripts: one per name, with Chinese, Japanese and Korean combinations; digits go with any")
    func scripts() {
        #expect(WritingScript.of("a") == .latin && WritingScript.of("я") == .cyrillic && WritingScript.of("ω") == .greek)
        #expect(WritingScript.of("7") == nil && WritingScript.of("\u{13A0}") == .cherokee && WritingScript.of("小") == .han)
        #expect(WritingScript.mayShareAName([.han, .hiragana, .katakana]) && WritingScript.mayShareAName([.han, .hangul]))
        #expect(!WritingScript.mayShareAName([.latin, .cyrillic]) && !WritingScript.mayShareAName([.hangul, .hiragana]))
    }
}
