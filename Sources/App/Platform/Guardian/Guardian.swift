/// Every permission rule in one place, so a rule is never re-invented in a handler.
enum Guardian {
    static func canModerate(_ member: Member) -> Bool { member.role == .moderator || member.role == .admin }
    static func canAdminister(_ member: Member) -> Bool { member.role == .admin }
    /// Researchers see aggregates only; admins may look over their shoulder.
    static func canResearch(_ member: Member) -> Bool { member.role == .researcher || member.role == .admin }
    /// An admin may not take away their own admin role (so a community never locks itself out).
    static func canChangeRole(of target: Member, by actor: Member, to role: Role) -> Bool {
        guard canAdminister(actor) else { return false }
        if target.id == actor.id && role != .admin { return false }
        return true
    }
}
