import Testing

@testable import TextRules

@Suite("Password policy")
struct PasswordPolicyTests {
    let policy = PasswordPolicy(commonPasswordList: "password123\nQwertyuiop\n1234567890\n")

    @Test("a long, uncommon password is accepted")
    func acceptsGoodPassword() {
        #expect(policy.problem(with: "Calm-Harbour-2026!x") == nil)
    }

    @Test("short passwords are refused")
    func refusesShort() {
        #expect(policy.problem(with: "short1!") == .tooShort)
    }

    @Test("common passwords are refused whatever their case")
    func refusesCommon() {
        #expect(policy.problem(with: "QWERTYUIOP") == .common)
        #expect(policy.problem(with: "1234567890") == .common)
    }

    @Test("a password equal to the email is refused")
    func refusesPersonal() {
        #expect(policy.problem(with: "anna@example.org", alsoRefusing: ["anna@example.org"]) == .common)
    }

    @Test("passwords beyond bcrypt's 72 bytes are refused")
    func refusesTooLong() {
        #expect(policy.problem(with: String(repeating: "a", count: 73)) == .tooLong)
    }
}
