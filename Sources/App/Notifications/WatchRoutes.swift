import Fluent
import Vapor

/// Watching, normal or muted, per topic and per theme; and muting a member.
struct WatchRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.post("t", ":topicID", "watch", use: watchTopic)
        members.post("c", ":slug", "watch", use: watchCategory)
        members.post("u", ":pseudonym", "mute", use: muteMember)
    }

    private func level(_ req: Request) throws -> WatchLevel {
        guard let level = WatchLevel(rawValue: (try? req.content.get(String.self, at: "level")) ?? "") else { throw Abort(.badRequest) }
        return level
    }

    /// POST /t/:topicID/watch
    func watchTopic(req: Request) async throws -> Response {
        let member = try req.requireMember()
        guard let id = req.parameters.get("topicID", as: Int.self), let topic = try await Topic.find(id, on: req.db),
            Guardian.canSee(topic, by: member)
        else { throw AppError.notFound }
        try await Watching.set(try level(req), for: member.requireID(), topic: id, on: req.db)
        return req.redirect(to: Paths.topic(topic), flash: Flash(.success, "watch.saved"))
    }

    /// POST /c/:slug/watch
    func watchCategory(req: Request) async throws -> Response {
        let member = try req.requireMember()
        guard
            let category = try await Category.query(on: req.db).filter(\.$slug == (req.parameters.get("slug") ?? "")).filter(\.$isInternal == false)
                .first()
        else {
            throw AppError.notFound
        }
        try await Watching.set(try level(req), for: member.requireID(), category: category.requireID(), on: req.db)
        return req.redirect(to: Paths.category(category), flash: Flash(.success, "watch.saved"))
    }

    /// POST /u/:pseudonym/mute (mute=on|off): their posts fold away for me; they are not told.
    func muteMember(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let key = Member.key(forPseudonym: req.parameters.get("pseudonym") ?? "")
        guard let other = try await Member.query(on: req.db).filter(\.$pseudonymKey == key).first(), !other.isClosed,
            other.id != member.id
        else { throw AppError.notFound }
        let memberID = try member.requireID()
        let otherID = try other.requireID()
        try await MemberMute.query(on: req.db).filter(\.$memberID == memberID).filter(\.$mutedID == otherID).delete()
        let mute = (try? req.content.get(String.self, at: "mute")) != "off"
        if mute { try await MemberMute(memberID: memberID, mutedID: otherID, now: req.connect.clock.now()).create(on: req.db) }
        return req.redirect(to: Paths.profile(other), flash: Flash(.success, mute ? "mute.on" : "mute.off"))
    }
}
