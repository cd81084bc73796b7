import Testing

@testable import TextRules

@Suite("Trigger matching holds up to how people write")
struct TriggerMatcherTests {
    static let rules = ["zelfmoord*", "dood", "wil niet meer leven", "end it all", "ik wil er een eind aan maken", "één keer", "kill myself"]
    let matcher = TriggerMatcher(patterns: TriggerMatcherTests.rules)

    func hits(_ text: String) -> Set<String> {
        Set(matcher.matches(in: text).map { Self.rules[$0.pattern] })
    }

    @Test(
        "each normalisation case",
        arguments: [
            ("ZELFMOORD", "zelfmoord*"),  // case
            ("zelfmoordgedachten heb ik vaak", "zelfmoord*"),  // inflection through a wildcard
            ("z3lfm00rd", "zelfmoord*"),  // digits for letters
            ("zelfmoooooord", "zelfmoord*"),  // repeated letters
            ("zelf-moord", "zelfmoord*"),  // a hyphen inside a word
            ("Ik wil niet... meer   leven!", "wil niet meer leven"),  // punctuation and spacing inside a phrase
            ("ik WIL NIET MEER LEEEVEN", "wil niet meer leven"),  // case and repeats in a phrase
            ("I just want to end it all.", "end it all"),
            ("Een keer", "één keer"),  // diacritics, in the rule
            ("één keer", "één keer"),  // diacritics, in the text
            ("ik ben liever dood", "dood"),
            ("i want to k1ll mys3lf", "kill myself"),
            ("Ik zie het niet meer zitten, ik wil er een eind aan maken", "ik wil er een eind aan maken"),
        ])
    func matches(text: String, rule: String) {
        #expect(hits(text).contains(rule), "\(text) should match \(rule)")
    }

    @Test(
        "word boundaries: a rule for a word does not hit longer words",
        arguments: [
            "doodgewoon", "doodmoe", "ik ben doodop", "morgen weer", "hij wil niet meer leveren", "the ending it all was sad",
        ])
    func boundaries(text: String) {
        #expect(hits(text).isEmpty, "\(text) matched \(hits(text))")
    }

    @Test("the match is reported where it was written")
    func positions() throws {
        let text = "Hoi. Ik wil niet meer leven, echt."
        let match = try #require(matcher.matches(in: text).first)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[match.start..<match.end], as: UTF8.self) == "wil niet meer leven")
    }

    @Test("normalisation keeps pure numbers and folds the rest")
    func normaliser() {
        #expect(TextNormaliser.normalise("Bel 113, nu!").text == " bel 113 nu ")
        #expect(TextNormaliser.normalise("Ééééén").text == " en ")
        #expect(TextNormaliser.normalise("").text == " ")
    }

    @Test(
        "the shipped rules raise no alert on everyday depression talk",
        arguments: [
            "Ik ben zo moe de laatste tijd en slaap slecht.",
            "Mijn sertraline helpt een beetje, de bijwerkingen worden minder.",
            "Morgen heb ik weer therapie bij mijn psycholoog.",
            "Ik was doodmoe na het werk, doodgewoon uitgeput.",
            "Ik heb een plan voor morgen: wandelen met de hond.",
            "Ik was te laat voor de trein vanochtend.",
            "I feel like such a loser some days, but I keep going.",
            "Does anyone else struggle to get out of bed in winter?",
            "My therapist and I are working on my sleep schedule.",
            "Ik voel me een idioot dat ik het zo lang heb uitgesteld.",
            "Mijn vader heeft kanker en dat maakt alles zwaarder.",
            "Ik slik nu twee jaar antidepressiva.",
        ])
    func everydayTalk(text: String) throws {
        let (set, entries) = try TriggerEvaluationTests.shippedRules()
        let alerting = set.scan(text).fired.map { entries[$0.rule] }.filter { $0.actions.contains("alert") }
        #expect(alerting.isEmpty, "\(text) raised an alert through \(alerting.map(\.pattern))")
    }

    @Test(
        "the shipped rules alert on crisis messages in both languages",
        arguments: [
            "Ik zie het niet meer zitten, ik wil er een eind aan maken",
            "Iedereen is beter af zonder mij.",
            "Ik heb pillen gespaard.",
            "Dit is mijn afscheid, dank jullie wel voor alles.",
            "Ik denk steeds aan zelfmoord.",
            "I want to die.",
            "Everyone would be better off without me",
            "I've been stockpiling pills",
            "This is goodbye, thank you all.",
        ])
    func crisis(text: String) throws {
        let (set, entries) = try TriggerEvaluationTests.shippedRules()
        #expect(set.scan(text).fired.contains { entries[$0.rule].actions.contains("alert") }, "\(text) raised no alert")
    }
}

@Suite("The privacy nudge finds personal details")
struct PrivacyScannerTests {
    @Test(
        "true cases",
        arguments: [
            ("Bel me op 06-12345678", PrivacyScanner.Kind.phone),
            ("mijn nummer is 0612345678", .phone),
            ("call me on +31 6 1234 5678", .phone),
            ("Mijn vaste nummer: 020-1234567", .phone),
            ("mail me: anna.jansen@example.nl", .email),
            ("Ik woon op Kerkstraat 12 in Utrecht", .address),
            ("adres: 12, 3511 AB Utrecht", .address),
            ("postcode 3511 AB 12", .address),
            ("dokter Jansen zei dat het wel goed kwam", .caregiverName),
            ("Vandaag bij dr. Smit geweest", .caregiverName),
            ("mijn psychiater Peter de Vries is op vakantie", .caregiverName),
            ("Dr Patel changed my dose", .caregiverName),
            ("my therapist Sarah helps", .caregiverName),
            ("de huisarts Van den Berg belde terug", .caregiverName),
        ])
    func found(text: String, kind: PrivacyScanner.Kind) {
        #expect(PrivacyScanner.scan(text).contains { $0.kind == kind }, "\(text): \(PrivacyScanner.scan(text))")
    }

    @Test(
        "false cases",
        arguments: [
            "Bel 113 of 0800-0113 als het niet meer gaat, of 112 bij nood.",
            "Ik slik 20 mg en sinds 2019 gaat het beter.",
            "Mijn psychiater zei dat ik geduld moet hebben.",
            "Bij de dokter voelde ik me gehoord.",
            "I told my therapist I was scared.",
            "It took 3 to 4 weeks before I felt anything.",
            "Om 10.30 uur heb ik een afspraak bij de praktijkondersteuner.",
            "Ik heb 1234 stappen gezet vandaag",
        ])
    func notFound(text: String) {
        #expect(PrivacyScanner.scan(text).isEmpty, "\(text): \(PrivacyScanner.scan(text))")
    }
}
