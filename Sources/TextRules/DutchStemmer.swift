/// The Snowball Dutch stemmer (M. F. Porter's published algorithm), with two additions so that
/// the forms people write find each other: a long vowel is written once (the algorithm's own
/// last step, "slaap" → "slap", also after a final -t is taken off: "slaapt" → "slap"), and
/// the common strong verbs map to one stem ("sliep", "slapen" and "slaap" all give "slap").
/// Works on lower-cased words of letters and digits; diacritics are folded first.
public enum DutchStemmer {
    public static func stem(_ word: String) -> String {
        var w = Array(fold(word))
        if let base = irregular[String(w)] { w = Array(base) }
        guard w.count > 2 else { return String(w) }
        markConsonantIY(&w)
        let (r1, r2) = regions(w)
        var eFound = false

        // Step 1: -heden, -ene/-en, -se/-s.
        if w.hasSuffix("heden"), w.count - 5 >= r1 {
            w.removeLast(5)
            w += Array("heid")
        } else if let n = ["ene", "en"].first(where: { w.hasSuffix($0) }).map(\.count), w.count - n >= r1,
            validEnEnding(w, before: w.count - n)
        {
            w.removeLast(n)
            undouble(&w)
        } else if let n = ["se", "s"].first(where: { w.hasSuffix($0) }).map(\.count), w.count - n >= r1,
            w.count - n - 1 >= 0, validSEnding(w[w.count - n - 1])
        {
            w.removeLast(n)
        }
        // Step 2: a final -e.
        if removeE(&w, r1: r1) { eFound = true }
        // Step 3a: -heid.
        if w.hasSuffix("heid"), w.count - 4 >= r2, !(w.count >= 5 && w[w.count - 5] == "c") {
            w.removeLast(4)
            if w.hasSuffix("en"), w.count - 2 >= r1, validEnEnding(w, before: w.count - 2) {
                w.removeLast(2)
                undouble(&w)
            }
        }
        // Step 3b: derivational suffixes.
        if let n = ["end", "ing"].first(where: { w.hasSuffix($0) }).map(\.count), w.count - n >= r2 {
            w.removeLast(n)
            if w.hasSuffix("ig"), w.count - 2 >= r2, !(w.count >= 3 && w[w.count - 3] == "e") {
                w.removeLast(2)
            } else {
                undouble(&w)
            }
        } else if w.hasSuffix("ig"), w.count - 2 >= r2, !(w.count >= 3 && w[w.count - 3] == "e") {
            w.removeLast(2)
        } else if w.hasSuffix("lijk"), w.count - 4 >= r2 {
            w.removeLast(4)
            _ = removeE(&w, r1: r1)
        } else if w.hasSuffix("baar"), w.count - 4 >= r2 {
            w.removeLast(4)
        } else if w.hasSuffix("bar"), w.count - 3 >= r2, eFound {
            w.removeLast(3)
        }
        // Addition: a verb's -t ("slaapt", "werkt", "wordt") goes, so it meets its infinitive.
        if w.count >= 4, w.last == "t", !isVowel(w[w.count - 2]) {
            w.removeLast()
        }
        // Step 4: a long vowel before a final consonant is written once ("maan" → "man").
        if w.count >= 4 {
            let c = w[w.count - 4]
            let v1 = w[w.count - 3]
            let v2 = w[w.count - 2]
            let d = w[w.count - 1]
            if !isVowel(c), v1 == v2, "aeou".contains(v1), !isVowel(d), d != "I" {
                w.remove(at: w.count - 2)
            }
        }
        return String(w).lowercased()
    }

    /// Accents off: "één" → "een", "geëmigreerd" → "geemigreerd".
    static func fold(_ word: String) -> String {
        var out = ""
        for scalar in word.lowercased().unicodeScalars {
            switch scalar {
            case "ä", "á", "à", "â": out += "a"
            case "ë", "é", "è", "ê": out += "e"
            case "ï", "í", "ì", "î": out += "i"
            case "ö", "ó", "ò", "ô": out += "o"
            case "ü", "ú", "ù", "û": out += "u"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isVowel(_ c: Character) -> Bool { "aeiouyè".contains(c) }

    /// An initial y, a y after a vowel and an i between vowels are consonants: marked upper case.
    private static func markConsonantIY(_ w: inout [Character]) {
        for i in w.indices {
            if w[i] == "y", i == 0 || isVowel(w[i - 1]) {
                w[i] = "Y"
            } else if w[i] == "i", i > 0, i + 1 < w.count, isVowel(w[i - 1]), isVowel(w[i + 1]) {
                w[i] = "I"
            }
        }
    }

    /// R1 and R2 as the algorithm defines them: each starts after the first non-vowel that
    /// follows a vowel (R2 searched from where R1's search ended); R1 leaves at least 3 letters.
    private static func regions(_ w: [Character]) -> (Int, Int) {
        func regionStart(from start: Int) -> Int {
            var i = start
            while i < w.count, !isVowel(w[i]) { i += 1 }
            while i < w.count, isVowel(w[i]) { i += 1 }
            return min(w.count, i + 1)
        }
        let raw = regionStart(from: 0)
        let r2 = raw >= w.count ? w.count : regionStart(from: raw)
        return (max(3, raw), r2)
    }

    private static func validSEnding(_ c: Character) -> Bool { !isVowel(c) && c != "j" }

    /// A non-vowel before the ending, and not "gem".
    private static func validEnEnding(_ w: [Character], before index: Int) -> Bool {
        guard index >= 1, !isVowel(w[index - 1]) else { return false }
        return !(index >= 3 && w[(index - 3)..<index] == ["g", "e", "m"])
    }

    /// kk, dd, tt at the end lose one letter.
    private static func undouble(_ w: inout [Character]) {
        if w.count >= 2, let last = w.last, "kdt".contains(last), w[w.count - 2] == last { w.removeLast() }
    }

    /// Step 2: a final e in R1 after a non-vowel goes (then undouble); true when it did.
    private static func removeE(_ w: inout [Character], r1: Int) -> Bool {
        guard w.last == "e", w.count - 1 >= r1, w.count >= 2, !isVowel(w[w.count - 2]) else { return false }
        w.removeLast()
        undouble(&w)
        return true
    }

    /// Strong and irregular verbs: every form to its infinitive, which the algorithm then stems.
    static let irregular: [String: String] = {
        let verbs: [String: [String]] = [
            "slapen": ["sliep", "sliepen", "geslapen"], "lopen": ["liep", "liepen", "gelopen"],
            "gaan": ["ga", "gaat", "ging", "gingen", "gegaan"], "komen": ["kom", "komt", "kwam", "kwamen", "gekomen"],
            "zijn": ["ben", "bent", "is", "was", "waren", "geweest"], "hebben": ["heb", "hebt", "heeft", "had", "hadden", "gehad"],
            "denken": ["dacht", "dachten", "gedacht"], "vinden": ["vond", "vonden", "gevonden"],
            "zoeken": ["zocht", "zochten", "gezocht"], "eten": ["at", "aten", "gegeten"],
            "drinken": ["dronk", "dronken", "gedronken"], "blijven": ["bleef", "bleven", "gebleven"],
            "helpen": ["hielp", "hielpen", "geholpen"], "zien": ["zie", "ziet", "zag", "zagen", "gezien"],
            "doen": ["doe", "doet", "deed", "deden", "gedaan"], "weten": ["weet", "wist", "wisten", "geweten"],
            "kunnen": ["kan", "kunt", "kon", "konden", "gekund"], "willen": ["wil", "wilt", "wilde", "wilden", "wou", "gewild"],
            "moeten": ["moet", "moest", "moesten", "gemoeten"], "zeggen": ["zeg", "zegt", "zei", "zeiden", "gezegd"],
            "krijgen": ["krijg", "krijgt", "kreeg", "kregen", "gekregen"], "nemen": ["neem", "neemt", "nam", "namen", "genomen"],
            "geven": ["geef", "geeft", "gaf", "gaven", "gegeven"], "schrijven": ["schrijf", "schrijft", "schreef", "schreven", "geschreven"],
            "lezen": ["lees", "leest", "las", "lazen", "gelezen"], "vragen": ["vraag", "vraagt", "vroeg", "vroegen", "gevraagd"],
            "brengen": ["breng", "brengt", "bracht", "brachten", "gebracht"], "kopen": ["koop", "koopt", "kocht", "kochten", "gekocht"],
            "vergeten": ["vergeet", "vergat", "vergaten"], "beginnen": ["begin", "begint", "begon", "begonnen"],
            "liggen": ["lig", "ligt", "lag", "lagen", "gelegen"], "zitten": ["zit", "zat", "zaten", "gezeten"],
            "staan": ["sta", "staat", "stond", "stonden", "gestaan"], "houden": ["hou", "houd", "houdt", "hield", "hielden", "gehouden"],
            "vallen": ["val", "valt", "viel", "vielen", "gevallen"], "worden": ["word", "wordt", "werd", "werden", "geworden"],
            "spreken": ["spreek", "spreekt", "sprak", "spraken", "gesproken"], "vechten": ["vecht", "vocht", "vochten", "gevochten"],
            "sterven": ["sterf", "sterft", "stierf", "stierven", "gestorven"], "verliezen": ["verlies", "verliest", "verloor", "verloren"],
            "dragen": ["draag", "draagt", "droeg", "droegen", "gedragen"], "zwijgen": ["zweeg", "zwegen", "gezwegen"],
            "huilen": ["huil", "huilt", "huilde", "huilden", "gehuild"], "voelen": ["voel", "voelt", "voelde", "voelden", "gevoeld"],
            "werken": ["werk", "werkte", "werkten", "gewerkt"], "praten": ["praat", "praatte", "praatten", "gepraat"],
            // English, so that "slept" meets "sleep" and "felt" meets "feel".
            "sleep": ["slept", "sleeps"], "feel": ["felt", "feels"], "go": ["went", "gone", "goes"], "eat": ["ate", "eaten"],
            "think": ["thought"], "cry": ["cried", "cries"], "lose": ["lost"], "keep": ["kept"], "wake": ["woke", "woken"],
            "get": ["got", "gotten"], "tell": ["told"], "say": ["said"], "know": ["knew", "known"], "take": ["took", "taken"],
            "leave": ["left"], "make": ["made"], "fall": ["fell", "fallen"], "run": ["ran"],
        ]
        var table = [String: String]()
        for (base, forms) in verbs { for form in forms where form != base { table[form] = base } }
        return table
    }()
}

extension Array where Element == Character {
    fileprivate func hasSuffix(_ suffix: String) -> Bool {
        let s = Array(suffix)
        return count >= s.count && self[(count - s.count)...].elementsEqual(s)
    }
}
