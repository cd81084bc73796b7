import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

@Suite("Two-factor sign-in for the team", .serialized)
struct TwoFactorTests {
    @Test(
        "TOTP codes match RFC 6238's SHA-1 test vectors",
        arguments: [
            (59.0, "287082"), (1_111_111_109.0, "081804"), (1_111_111_111.0, "050471"), (1_234_567_890.0, "005924"), (2_000_000_000.0, "279037"),
        ])
    func rfcVectors(time: Double, code: String) throws {
        // RFC 6238's key "12345678901234567890", in the base32 form members' keys are stored in.
        let stored = Data("12345678901234567890".utf8).base32EncodedString()
        #expect(stored == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        let totp = try #require(TOTP(base32: stored))
        #expect(totp.generate(time: Date(timeIntervalSince1970: time)) == code)
        // Keys copied loosely (lower case, spaces, padding) read as the same key.
        let loose = try #require(TOTP(base32: "gezd gnbv gy3t qojq gezd gnbv gy3t qojq===="))
        #expect(loose.generate(time: Date(timeIntervalSince1970: time)) == code)
    }

    @Test("a new key is 160 random bits in base32; text that is not a key of at least 80 bits is refused")
    func keys() throws {
        let secret = TOTP.newSecret()
        #expect(secret.count == 32 && secret.allSatisfy { "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".contains($0) })
        #expect(Data(base32Encoded: secret)?.count == 20)
        #expect(TOTP.newSecret() != secret)
        #expect(TOTP(base32: secret) != nil)
        #expect(TOTP(base32: "not a key!") == nil)
        #expect(TOTP(base32: "GEZDGNBV") == nil)
        let uri = try #require(TOTP.provisioningURI(secret: secret, account: "Mod Erator"))
        // The colon between issuer and account may come percent-encoded: apps accept both.
        #expect(uri.hasPrefix("otpauth://totp/Depression%20Connect"))
        #expect(uri.hasSuffix("Mod%20Erator?secret=\(secret)&issuer=Depression%20Connect&digits=6&period=30"))
    }

    @Test("a code is accepted one step early or late, with the step it belongs to, and not two steps away")
    func window() throws {
        let totp = try #require(TOTP(base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = TOTP.counter(at: now)
        #expect(step == 37_037_037)
        for delta in -1...1 {
            let code = totp.generate(time: now.addingTimeInterval(Double(30 * delta)))
            #expect(totp.matchingCounter(code, at: now) == step + Int64(delta))
        }
        #expect(totp.matchingCounter(" 050 471 ", at: now) == step)
        for delta in [-2, 2] {
            #expect(totp.matchingCounter(totp.generate(time: now.addingTimeInterval(Double(30 * delta))), at: now) == nil)
        }
        #expect(totp.matchingCounter("05047", at: now) == nil)
        #expect(totp.matchingCounter("0504711", at: now) == nil)
    }

    @Test("a moderator without two-factor is sent to set it up; the first code enables it and shows recovery codes")
    func enrolment() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let member = try await Fixtures.member(app, role: .member)
            let browser = TestBrowser(app)
            try await Fixtures.logIn(browser, member)
            member.role = .moderator
            try await member.save(on: app.db)
            let blocked = try await browser.get("/mod")
            #expect(blocked.status == .seeOther)
            #expect(blocked.location == "/settings/two-factor")

            let setup = try await browser.get("/settings/two-factor")
            #expect(setup.text.contains("totp-secret"))
            let stored = try #require(try await Member.find(member.id, on: app.db))
            let secret = try #require(stored.totpSecret)
            let totp = try #require(TOTP(base32: secret))
            let wrong = try await browser.post("/settings/two-factor", [("code", "000000")])
            #expect(wrong.status == .unprocessableEntity)
            let enabled = try await browser.post("/settings/two-factor", [("code", totp.generate(time: clock.now()))])
            #expect(enabled.status == .ok)
            #expect(enabled.text.contains("recovery-codes"))
            #expect(try await RecoveryCode.query(on: app.db).count() == RecoveryCode.count)
            #expect(try await browser.get("/mod").status == .ok)
        }
    }

    @Test("logging in asks for a code; a wrong, reused or late code fails; a recovery code works once")
    func login() async throws {
        let clock = ManualClock()
        try await withConnectApp(clock: clock) { app in
            let moderator = try await Fixtures.member(app, role: .moderator)
            let secret = try #require(moderator.totpSecret)
            let totp = try #require(TOTP(base32: secret))
            let recovery = RecoveryCode.generate()
            try await RecoveryCode(memberID: try moderator.requireID(), code: recovery, createdAt: clock.now()).create(on: app.db)

            let browser = TestBrowser(app)
            let first = try await browser.post("/login", [("email", moderator.email), ("password", goodPassword), ("next", "/mod")])
            #expect(first.location?.hasPrefix("/login/two-factor") == true)
            // Without the second step there is no session.
            #expect(try await browser.get("/mod").location?.hasPrefix("/login") == true)
            #expect(try await browser.post("/login/two-factor", [("code", "123456"), ("next", "/mod")]).status == .unprocessableEntity)
            let code = totp.generate(time: clock.now())
            let ok = try await browser.post("/login/two-factor", [("code", code), ("next", "/mod")])
            #expect(ok.status == .seeOther && ok.location == "/mod")
            #expect(try await browser.get("/mod").status == .ok)

            // The same code a second time, from another browser, is refused.
            let other = TestBrowser(app)
            _ = try await other.post("/login", [("email", moderator.email), ("password", goodPassword), ("next", "/")])
            #expect(try await other.post("/login/two-factor", [("code", code), ("next", "/")]).status == .unprocessableEntity)
            // A recovery code (typed loosely) works, once.
            #expect(try await other.post("/login/two-factor", [("code", recovery.uppercased()), ("next", "/")]).status == .seeOther)
            let third = TestBrowser(app)
            _ = try await third.post("/login", [("email", moderator.email), ("password", goodPassword), ("next", "/")])
            #expect(try await third.post("/login/two-factor", [("code", recovery), ("next", "/")]).status == .unprocessableEntity)
            // The pending sign-in expires after ten minutes.
            clock.advance(by: 601)
            let late = try await third.post("/login/two-factor", [("code", totp.generate(time: clock.now())), ("next", "/")])
            #expect(late.location?.hasPrefix("/login") == true && late.location?.hasPrefix("/login/two-factor") == false)
        }
    }
}
