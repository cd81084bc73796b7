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
            member.isVerified, !member.isClosed
        else { throw AppError.notFound }
        // Topics the viewer may open (Guardian): the author also finds their own topic that waits for a moderator.
        let viewer = try req.requireMember()
        let topics = try await ForumQueries.topicsStarted(by: member.requireID(), visibleTo: viewer, on: req.db)
        let muted =
            try await MemberMute.query(on: req.db).filter(\.$memberID == (req.member?.id ?? UUID()))
            .filter(\.$mutedID == member.requireID()).first() != nil
        return ProfilePage(member: member, topics: topics, isMe: member.id == req.member?.id, muted: muted).render(req)
    }

    /// GET /intro?next=: the invitation (first login) or, later, editing one's introduction.
    func introForm(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let rescued = try await FormRescue.take(req)?["introduction"]
        return IntroPage(
            text: rescued ?? member.introduction ?? "", next: LocalPath.sanitise(req.query[String.self, at: "next"]),
            firstTime: member.introPromptedAt == nil
        ).render(req)
    }

    /// POST /intro: save (and optionally post in "Introduce yourself") or skip; then the manual on a first login.
    func saveIntro(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let form = try req.content.decode(IntroForm.self)
        let next = LocalPath.sanitise(form.next)
        let firstTime = member.introPromptedAt == nil
        // The manual follows the invitation once; later edits go back to the profile.
        let onward = {
            firstTime
                ? req.redirect(to: "/manual?first=1&next=\(LocalPath.encode(next))")
                : req.redirect(to: Paths.profile(member), flash: Flash(.success, "flash.saved"))
        }
        guard form.skip == nil else {
            member.introPromptedAt = member.introPromptedAt ?? req.connect.clock.now()
            try await member.save(on: req.db)
            return onward()
        }
        let category = form.alsoPost ? try await Category.query(on: req.db).filter(\.$slug == "introduce-yourself").first() : nil
        // The introduction is the member's own choice to share: personal details in it are
        // flagged for moderators rather than asked about again.
        let submission = TextSubmission(body: form.textValue, privacyConfirmed: true)
        let target = PublishTarget.introduction(alsoPostIn: category, topicTitle: req.t("intro.topic_title", ["name": member.pseudonym]))
        let outcome = try await Publisher(context: req.context(as: member)).publish(submission, to: target)
        return try req.respond(
            to: outcome, textField: "introduction",
            form: { state in
                IntroPage(text: form.introduction ?? "", next: next, firstTime: firstTime, alsoPost: form.alsoPost, errors: state.errors).render(req)
            }, published: { _ in onward() })
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
