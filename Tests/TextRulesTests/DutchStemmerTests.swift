import Testing

@testable import TextRules

@Suite("Dutch words find each other: the Snowball stemmer and the forms people write")
struct DutchStemmerTests {
    @Test(
        "Snowball Dutch stems (from the algorithm's published vocabulary)",
        arguments: [
            ("lichamelijk", "licham"), ("lichamelijke", "licham"), ("opgaven", "opgav"), ("opgeven", "opgev"),
            ("ophouden", "ophoud"), ("gevaarlijk", "gevar"), ("gevaarlijke", "gevar"), ("gelukkig", "gelukk"),
            ("gelukkige", "gelukk"), ("mogelijkheden", "mogelijk"), ("vrijheid", "vrijheid"), ("kamer", "kamer"),
            ("kamers", "kamer"), ("boeken", "boek"), ("boek", "boek"), ("vrienden", "vriend"), ("depressie", "depressie"),
        ])
    func snowball(word: String, stem: String) {
        #expect(DutchStemmer.stem(word) == stem, "\(word)")
    }

    @Test(
        "forms of one word give one stem",
        arguments: [
            ["slaap", "slapen", "sliep", "sliepen", "slaapt", "geslapen"], ["loop", "lopen", "liep", "loopt"],
            ["werk", "werken", "werkt", "werkte"], ["praat", "praten", "praatte"], ["huil", "huilen", "huilde", "huilt"],
            ["dag", "dagen"], ["nacht", "nachten"], ["vriend", "vrienden"], ["moe", "moe"],
        ])
    func families(words: [String]) {
        let stems = Set(words.map(DutchStemmer.stem))
        #expect(stems.count == 1, "\(words) → \(stems)")
    }

    @Test("accents are folded and words that differ stay apart")
    func foldingAndDistinction() {
        #expect(DutchStemmer.stem("geëmigreerd") == DutchStemmer.stem("geemigreerd"))
        #expect(DutchStemmer.stem("één") == DutchStemmer.stem("een"))
        #expect(DutchStemmer.stem("slapen") != DutchStemmer.stem("lopen"))
        #expect(DutchStemmer.stem("werk") != DutchStemmer.stem("wereld"))
        #expect(DutchStemmer.stem("a") == "a" && DutchStemmer.stem("") == "")
    }
}
