import Fluent
import SQLKit
import Vapor

/// Profiles (members only) and the first-login invitation to introduce oneself.
struct ProfileRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("u", ":pseudonym", use: profile)
        members.get("intro", use: introForm)
        members.post("intro", use: saveIntro)
    }

    /// GET /u/:pseudonym: pseudonym, introduction, member since, topics started. No counts,
    /// no rankings, never a real name or email.
    func profile(req: Request) async throws -> Response {
        let key = Member.key(forPseudonym: req.parameters.get("pseudonym") ?? "")
        guard let member = try await Member.query(on: req.db).filter(\.$pseudonymKey == key).first(),
              member.isVerified, !member.isClosed else { throw AppError.notFound }
        let topics = try await Topic.query(on: req.db).filter(\.$authorID == member.requireID()).filter(\.$visible == true)
            .sort(\.$createdAt, .descending).limit(20).all()
        let muted = try await MemberMute.query(on: req.db).filter(\.$memberID == (req.member?.id ?? UUID()))
            .filter(\.$mutedID == member.requireID()).first() != nil
        return ProfilePage(member: member, topics: topics, isMe: member.id == req.member?.id, muted: muted).render(req)
    }

    /// GET /intro?next=: the invitation (first login) or, later, editing one's introduction.
    func introForm(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let rescued = try await FormRescue.take(req)?["introduction"]
        return IntroPage(text: rescued ?? member.introduction ?? "", next: LocalPath.sanitise(req.query[String.self, at: "next"]),
                         firstTime: member.introPromptedAt == nil).render(req)
    }

    /// POST /intro: save (and optionally post in "Introduce yourself") or skip; then the manual on a first login.
    func saveIntro(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let form = try req.content.decode(IntroForm.self)
        let next = LocalPath.sanitise(form.next)
        let firstTime = member.introPromptedAt == nil
        let now = req.connect.clock.now()
        if form.skip == nil {
            let text = form.textValue
            guard text.count <= IntroForm.maxLength, !(form.alsoPost && text.isEmpty) else {
                var errors = FormErrors()
                errors.add("introduction", text.isEmpty ? "intro.error.empty" : "intro.error.too_long")
                return IntroPage(text: form.introduction ?? "", next: next, firstTime: firstTime, alsoPost: form.alsoPost, errors: errors).render(req)
            }
            member.introduction = text.isEmpty ? nil : text
            if form.alsoPost, let category = try await Category.query(on: req.db).filter(\.$slug == "introduce-yourself").first() {
                let safety = try await SafetyCheck(request: req).evaluate(body: text, privacyConfirmed: true)
                if !safety.blocked {
                    let title = req.t("intro.topic_title", ["name": member.pseudonym])
                    _ = try await StartTopic(request: req).run(category: category, title: String(title.prefix(120)), body: text, author: member, safety: safety)
                }
            }
        }
        member.introPromptedAt = member.introPromptedAt ?? now
        try await member.save(on: req.db)
        // The manual follows the invitation once; later edits go back to the profile.
        if firstTime { return req.redirect(to: "/manual?first=1&next=\(LocalPath.encode(next))") }
        return req.redirect(to: "/u/\(LocalPath.encode(member.pseudonym))", flash: Flash(.success, "flash.saved"))
    }
}

/// The introduction form.
struct IntroForm: Content {
    var introduction: String?
    var also_post: String?
    var skip: String?
    var next: String?

    static let maxLength = 2_000
    var textValue: String { PostForm.clean(introduction ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
    var alsoPost: Bool { also_post == "on" }
}
