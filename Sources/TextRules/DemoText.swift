/// Phrase banks for demo data: varied, plausible peer-support writing in Dutch and English,
/// combined by a seeded generator so the same seed gives the same community.
public struct DemoText: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    /// A fast, deterministic generator (splitmix64).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }

    public mutating func pick(_ items: [String]) -> String { items[below(items.count)] }

    public mutating func dutch() -> Bool { below(10) < 7 }

    public mutating func pseudonym() -> String {
        pick(Self.adjectives) + pick(Self.nouns) + String(below(1000))
    }

    public mutating func title(dutch: Bool) -> String {
        dutch ? pick(Self.titlesNL) : pick(Self.titlesEN)
    }

    /// Two to five sentences, sometimes with emphasis, a list or a quote.
    public mutating func body(dutch: Bool) -> String {
        let bank = dutch ? Self.sentencesNL : Self.sentencesEN
        var paragraphs = [String]()
        for _ in 0..<(1 + below(3)) {
            var sentences = [String]()
            for _ in 0..<(1 + below(3)) { sentences.append(pick(bank)) }
            paragraphs.append(sentences.joined(separator: " "))
        }
        switch below(8) {
        case 0: paragraphs.append("**" + pick(dutch ? Self.encouragementNL : Self.encouragementEN) + "**")
        case 1: paragraphs.append("- " + pick(bank) + "\n- " + pick(bank))
        case 2: paragraphs.insert("> " + pick(bank), at: 0)
        default: break
        }
        return paragraphs.joined(separator: "\n\n")
    }

    static let adjectives = ["Stille", "Zachte", "Rustige", "Quiet", "Gentle", "Calm", "Grijze", "Blauwe", "Warm", "Lichte", "Slow", "Soft"]
    static let nouns = ["Reiger", "Wolk", "Haven", "Heron", "River", "Lantern", "Duin", "Meeuw", "Harbour", "Willow", "Ochtend", "Maple"]

    static let titlesNL = [
        "Slapen lukt niet meer", "Eerste week met nieuwe medicatie", "Hoe vertel ik het mijn werkgever?",
        "Even een goed moment delen", "Wandelen helpt me een beetje", "Mijn familie begrijpt het niet",
        "Terugval na een goede periode", "Therapie: ervaringen met CGT?", "Vandaag uit bed gekomen",
        "Hoe ga je om met schuldgevoel?", "Studeren met een depressie", "Kleine stappen vooruit",
        "Ik ben nieuw hier", "Een rotdag", "Wat helpt jullie in de winter?", "Praten met de huisarts",
    ]
    static let titlesEN = [
        "Can't sleep anymore", "First week on new medication", "How do I tell my employer?",
        "Sharing a good moment", "Walking helps a little", "My family doesn't understand",
        "Relapse after a good stretch", "Therapy: experiences with CBT?", "Got out of bed today",
        "Dealing with guilt", "Studying with depression", "Small steps forward",
        "I'm new here", "A rough day", "What helps you in winter?", "Talking to my GP",
    ]
    static let sentencesNL = [
        "Ik lig elke nacht uren wakker en piekeren houdt me bezig.", "Vandaag was zwaar, maar ik ben toch even naar buiten gegaan.",
        "Mijn huisarts stelde voor om met een psycholoog te praten.", "Het helpt me om dit hier op te schrijven.",
        "Herkent iemand dit gevoel van leegte in de ochtend?", "Ik merk dat kleine routines me houvast geven.",
        "Soms voelt het alsof niemand begrijpt hoe moe ik ben.", "De eerste weken met de medicijnen waren lastig, daarna werd het beter.",
        "Mijn partner probeert te helpen, maar weet niet goed hoe.", "Ik heb geleerd om mezelf minder streng te beoordelen.",
        "Werk is op dit moment te veel, ik ben in gesprek met de bedrijfsarts.", "Wandelen in het bos geeft me wat rust in mijn hoofd.",
        "Dank je wel voor je eerlijke bericht.", "Je bent niet de enige, ik heb precies hetzelfde meegemaakt.",
        "Neem de tijd die je nodig hebt, er is geen haast.", "Schrijven in een dagboek hielp mij om patronen te zien.",
        "Het is oké om een slechte dag te hebben.", "Ik ben trots dat ik vandaag mijn moeder heb gebeld.",
    ]
    static let sentencesEN = [
        "I lie awake for hours every night and my thoughts keep circling.", "Today was hard, but I still went outside for a bit.",
        "My GP suggested talking to a psychologist.", "It helps me to write this down here.",
        "Does anyone recognise this feeling of emptiness in the morning?", "I notice that small routines give me something to hold on to.",
        "Sometimes it feels like nobody understands how tired I am.", "The first weeks on the medication were hard, then it got better.",
        "My partner tries to help but doesn't really know how.", "I have learned to judge myself less harshly.",
        "Work is too much right now; I am talking to the company doctor.", "Walking in the woods gives my head some rest.",
        "Thank you for your honest post.", "You are not alone, I went through exactly the same.",
        "Take the time you need, there is no rush.", "Keeping a journal helped me see patterns.",
        "It's okay to have a bad day.", "I'm proud that I called my mother today.",
    ]
    static let encouragementNL = ["Sterkte vandaag.", "Je doet het goed.", "Fijn dat je dit deelt.", "Kleine stapjes tellen ook."]
    static let encouragementEN = ["Strength today.", "You're doing well.", "Glad you shared this.", "Small steps count too."]
}
