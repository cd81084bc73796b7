import Testing
import TextRules

@Suite("Mentions and quotes name the right people")
struct MentionsTests {
    @Test("@names are found once, without sentence punctuation; emails, code and quoted lines are not mentions")
    func mentions() {
        #expect(Mentions.names(in: "Dank je @Anna. En @bram_2, @Anna nog eens") == ["Anna", "bram_2"])
        #expect(Mentions.names(in: "mail me op anna@example.org") == [])
        #expect(Mentions.names(in: "`@Anna` in code") == [])
        #expect(Mentions.names(in: "> @Anna schreef dit\nik niet") == [])
        #expect(Mentions.names(in: "@x is te kort") == [])
        #expect(Mentions.names(in: "(@Zeeduif)") == ["Zeeduif"])
        let many = (1...20).map { "@naam\($0)" }.joined(separator: " ")
        #expect(Mentions.names(in: many).count == Mentions.maximum)
    }

    @Test("quote introductions in both languages name the quoted author")
    func quotes() {
        #expect(Mentions.quotedNames(in: "**Anna** wrote:\n\n> hallo\n\nEens!") == ["Anna"])
        #expect(Mentions.quotedNames(in: "**Bram de Vries** schreef:\n\n> hoi") == ["Bram de Vries"])
        #expect(Mentions.quotedNames(in: "**vet** gedrukt") == [])
    }
}
