import Foundation

/// What a pseudonym may be: readable letters and digits of one script, a few separators,
/// nothing invisible, and nothing that passes for the team. Whether another member already
/// holds a look-alike is decided on the `skeleton`, which the database keeps unique.
public enum PseudonymRules {
    /// A problem with a pseudonym; the raw value is the localisation key of its message.
    public enum Problem: String, Sendable, Equatable, CaseIterable {
        case length = "signup.error.pseudonym_length"
        case invisible = "signup.error.pseudonym_invisible"
        case characters = "signup.error.pseudonym_characters"
        case needsLetterOrDigit = "signup.error.pseudonym_needs_letter"
        case separators = "signup.error.pseudonym_separators"
        case mixedScripts = "signup.error.pseudonym_mixed_scripts"
        case reserved = "signup.error.pseudonym_reserved"
    }

    /// In characters (grapheme clusters), after `normalise`.
    public static let length = 2...30
    public static let separators: Set<Unicode.Scalar> = [" ", "-", "_", "."]

    /// The form a name is stored in: NFKC (so fullwidth and mathematical letters become plain
    /// ones), trimmed, and every run of spacing turned into one space.
    public static func normalise(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in raw.precomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(scalar)
        }
        return String(out)
    }

    /// What two names that look alike have in common; see `ConfusableSkeleton`.
    public static func skeleton(of name: String) -> String {
        ConfusableSkeleton.skeleton(normalise(name))
    }

    /// The first problem with a name, or nil when it is acceptable. The team (moderators and
    /// administrators) may use the reserved words; nobody else.
    public static func problem(with raw: String, mayUseTeamWords: Bool = false) -> Problem? {
        let name = normalise(raw)
        enum Previous {
            case start, separator
            case letterOrDigit(marksAllowed: Int)
        }
        var previous = Previous.start
        var marks = 0
        var scripts = Set<WritingScript>()
        var hasLetterOrDigit = false
        var badCharacter = false
        var badSeparator = false
        for scalar in name.unicodeScalars {
            let properties = scalar.properties
            if properties.isDefaultIgnorableCodePoint || blanks.contains(scalar.value) { return .invisible }
            if separators.contains(scalar) {
                if case .letterOrDigit = previous {} else { badSeparator = true }
                previous = .separator
                continue
            }
            switch properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter, .decimalNumber:
                let script = WritingScript.of(scalar)
                if let script { scripts.insert(script) }
                if looksLikePunctuation(scalar, script: script) { badCharacter = true }
                hasLetterOrDigit = true
                previous = .letterOrDigit(marksAllowed: [.latin, .greek, .cyrillic].contains(script) ? 2 : 4)
                marks = 0
            case .nonspacingMark, .spacingMark:
                // A mark belongs on a letter: standing alone, or piled up, it is a trick.
                marks += 1
                if case .letterOrDigit(let allowed) = previous, marks <= allowed {} else { badCharacter = true }
            default:
                badCharacter = true
            }
        }
        if case .separator = previous { badSeparator = true }
        if badCharacter { return .characters }
        if !length.contains(name.count) { return .length }
        if !hasLetterOrDigit { return .needsLetterOrDigit }
        if badSeparator { return .separators }
        if !WritingScript.mayShareAName(scripts) { return .mixedScripts }
        if !mayUseTeamWords && reservedWord(in: name) != nil { return .reserved }
        return nil
    }

    /// Characters that are neither default-ignorable nor spacing, yet show as nothing.
    static let blanks: Set<UInt32> = [0x2800, 0x3164, 0xFFA0, 0x115F, 0x1160]

    /// Modifier letters of the Latin, Greek and Cyrillic blocks (ʼ ˈ ˮ …) and the click letters
    /// (ǀ ǁ ǂ ǃ) are letters to Unicode but read as quotes, strokes and exclamation marks.
    /// Modifier letters of other scripts stay: Japanese needs ー and 々.
    static func looksLikePunctuation(_ scalar: Unicode.Scalar, script: WritingScript?) -> Bool {
        if (0x01C0...0x01C3).contains(scalar.value) { return true }
        guard scalar.properties.generalCategory == .modifierLetter else { return false }
        return script == .latin || script == .greek || script == .cyrillic || script == .armenian
    }

    // Reserved words, compared on skeletons so "Аdmin" (Cyrillic А), "M0derator" and "ADMIN"
    // are the same word. How widely each matches is a choice between impersonation and
    // refusing ordinary names:
    // - `anywhere`: inside any word of the name ("DemoModerator", "SiteAdmin", "Administratie"):
    //   nobody needs these to name themselves.
    // - `team`: a word of its own ("Team Anna", "AnnaTeam") or a word's end, as Dutch
    //   compounds read like the name of a team ("Crisisteam", "Moderatieteam"); "Teamwork" or
    //   "Teamspirit" stay free, since a word that merely starts with "team" claims nothing.
    // - `wholeWords`: only as a word of their own ("Support", "Staff Anna"): inside other words
    //   they are too common ("Supportive", "Systeemdenker", "Modern").
    // - `wholeName`: phrases, anywhere in the name with its separators left out.
    // Words are split at separators and where lower case turns to upper case, so "AnnaTeam"
    // holds the word "team"; digits around a word are tried without ("Team2"). The whole name
    // without its separators is checked against every word as well ("Ad Min", "Mod-Erator").
    static let anywhere = ["moderator", "moderatie", "admin", "beheerder"]
    static let team = "team"
    static let wholeWords = [
        "staff", "support", "system", "systeem", "official", "officieel", "helpdesk", "beheer",
        "redactie", "mod", "mods", "sysop", "root", "webmaster", "postmaster",
    ]
    static let wholeName = ["depression connect", "depressie connect", "former member", "voormalig lid"]
    /// Ordinary words that happen to hold one of the `anywhere` words.
    static let innocent = ["badminton", "padmini"]

    private static let anywhereSkeletons = anywhere.map { ConfusableSkeleton.skeleton($0) }
    private static let teamSkeleton = ConfusableSkeleton.skeleton(team)
    private static let wholeWordSkeletons = wholeWords.map { ConfusableSkeleton.skeleton($0) }
    private static let wholeNameSkeletons = wholeName.map { ConfusableSkeleton.skeleton($0) }
    private static let innocentSkeletons = innocent.map { ConfusableSkeleton.skeleton($0) }

    /// The reserved word a name holds (as written in the list), or nil.
    public static func reservedWord(in raw: String) -> String? {
        let name = normalise(raw)
        let whole = ConfusableSkeleton.skeleton(name)
        for (word, skeleton) in zip(
            anywhere + [team] + wholeWords + wholeName,
            anywhereSkeletons + [teamSkeleton] + wholeWordSkeletons + wholeNameSkeletons) where whole == skeleton
        {
            return word
        }
        for (phrase, skeleton) in zip(wholeName, wholeNameSkeletons) where whole.contains(skeleton) { return phrase }
        for part in words(of: name) {
            // "Team2" is the word "team" with a number; "M0derator" keeps its digit as a letter.
            let digits = CharacterSet(charactersIn: "0123456789")
            for variant in Set([part, part.trimmingCharacters(in: digits)]) {
                let skeleton = ConfusableSkeleton.skeleton(variant)
                var inside = skeleton
                for harmless in innocentSkeletons { inside = inside.replacingOccurrences(of: harmless, with: "") }
                for (word, reserved) in zip(anywhere, anywhereSkeletons) where inside.contains(reserved) { return word }
                if skeleton.hasSuffix(teamSkeleton) { return team }
                for (word, reserved) in zip(wholeWords, wholeWordSkeletons) where skeleton == reserved { return word }
            }
        }
        return nil
    }

    /// The words of a name: split at separators and where lower case turns to upper case.
    static func words(of name: String) -> [String] {
        var words = [String]()
        var current = ""
        var previous: Character?
        for character in name {
            if character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first, separators.contains(scalar) {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = nil
                continue
            }
            if let previous, previous.isLowercase && character.isUppercase {
                words.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
