import Plot
import TextRules
import Vapor

/// GET/POST /settings/avatar: the member's picture, with each choice shown as it would look.
struct AvatarRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember())
        members.get("settings", "avatar", use: show)
        members.post("settings", "avatar", use: save)
    }

    func show(req: Request) async throws -> Response {
        let member = try req.requireMember()
        return AvatarPage(member: member, selected: member.avatarColour ?? AvatarChoice.auto).render(req)
    }

    func save(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let raw = try? req.content.get(String.self, at: "colour")
        switch try await ChooseAvatar(context: req.context(as: member)).run(choice: raw) {
        case .saved:
            return req.redirect(to: Paths.settingsAvatar, flash: Flash(.success, "flash.saved"))
        case .invalid:
            return AvatarPage(member: member, selected: member.avatarColour ?? AvatarChoice.auto, invalid: true).render(req)
        }
    }
}

struct AvatarPage {
    let member: Member
    let selected: String
    var invalid = false

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t("avatar.title"), status: invalid ? .unprocessableEntity : .ok) {
            El("h1") { T(t("avatar.title")) }
            El("p", ["class": "lead"]) { T(t("avatar.lead")) }
            if invalid {
                El("div", ["class": "form-errors", "role": "alert", "id": "error-summary"]) {
                    El("p") { El("a", ["href": "#colour-auto"]) { T(t("avatar.error")) } }
                }
            }
            El("form", ["id": "avatar-form", "class": "stack-form", "method": "post", "action": Paths.settingsAvatar]) {
                CSRFField(token: c.csrfToken)
                El("fieldset", ["class": "avatar-choices"]) {
                    El("legend") { T(t("avatar.legend")) }
                    for choice in AvatarChoice.all {
                        El("div", ["class": "field field-checkbox avatar-choice"]) {
                            VoidEl(
                                "input",
                                [
                                    "type": "radio", "id": "colour-\(choice)", "name": "colour", "value": choice,
                                    "checked": choice == selected ? "" : nil,
                                ])
                            El("label", ["for": "colour-\(choice)"]) {
                                Avatar(pseudonym: member.pseudonym, choice: choice == AvatarChoice.auto ? nil : choice)
                                T(" " + label(choice, t: t))
                            }
                        }
                    }
                }
                SubmitRow(id: "avatar-submit", label: t("settings.save"))
            }
            El("p") { El("a", ["href": Paths.profile(member)]) { T(t("avatar.to_profile")) } }
        }
    }

    private func label(_ choice: String, t: Translator) -> String {
        switch choice {
        case AvatarChoice.auto: return t("avatar.auto", ["colour": t("avatar.colour.\(AvatarRules.colour(for: member.pseudonym))")])
        case AvatarChoice.none: return t("avatar.none")
        default: return t("avatar.colour.\(choice)")
        }
    }
}
