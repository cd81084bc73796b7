import Plot
import Vapor

/// A member's profile as other members see it.
struct ProfilePage {
    let member: Member
    let topics: [Topic]
    let isMe: Bool
    /// Whether the viewer muted this member.
    var muted = false

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(member.pseudonym) {
            El("div", ["class": "profile-head"]) {
                Avatar(pseudonym: member.pseudonym, choice: member.avatarColour, size: .large)
                El("h1", ["id": "profile-name"]) {
                    T(member.pseudonym)
                    TeamBadge(role: member.role, context: c)
                }
            }
            El("p", ["class": "muted"]) { T(t("profile.since", ["date": DateFormatting.day(member.createdAt, locale: c.locale)])) }
            El("p", ["class": "actions"]) {
                El("a", ["id": "profile-blog", "href": Paths.blog(member)]) { T(t(isMe ? "blogs.mine" : "profile.blog")) }
                if !isMe {
                    T(" · ")
                    El("a", ["id": "profile-message", "href": Paths.messagesNew(to: member)]) { T(t("profile.send_message")) }
                }
            }
            El("h2") { T(t("profile.introduction")) }
            if let intro = member.introduction, !intro.isEmpty {
                El("div", ["id": "profile-introduction", "class": "prose"]) {
                    for paragraph in intro.components(separatedBy: "\n\n") { El("p") { T(paragraph) } }
                }
            } else {
                El("p", ["class": "muted"]) { T(t("profile.no_introduction")) }
            }
            if isMe {
                El("p") {
                    El("a", ["id": "edit-introduction", "href": "/intro"]) { T(t("profile.edit_introduction")) }
                    T(" · ")
                    El("a", ["id": "edit-avatar", "href": Paths.settingsAvatar]) { T(t("avatar.title")) }
                }
            }
            if !isMe {
                // Muting is private: the member is not told, their posts fold away for the viewer.
                El("form", ["id": "mute-form", "method": "post", "action": Paths.profileMute(member)]) {
                    CSRFField(token: c.csrfToken)
                    VoidEl("input", ["type": "hidden", "name": "mute", "value": muted ? "off" : "on"])
                    El("button", ["id": "mute-submit", "class": "button button-secondary", "type": "submit"]) {
                        T(t(muted ? "mute.undo" : "mute.do"))
                    }
                    El("p", ["class": "hint"]) { T(t("mute.hint")) }
                }
            }
            El("h2") { T(t("profile.topics")) }
            if topics.isEmpty {
                El("p", ["class": "muted"]) { T(t("profile.no_topics")) }
            } else {
                El("ul", ["id": "profile-topics"]) {
                    for topic in topics {
                        El("li") {
                            El("a", ["href": Paths.topic(topic)]) { T(topic.title) }
                            T(" · " + DateFormatting.day(topic.createdAt, locale: c.locale))
                            if !Guardian.isListed(topic) { El("span", ["class": "badge"]) { T(t("profile.topic_waits")) } }
                        }
                    }
                }
            }
        }
    }
}

/// The invitation to introduce oneself: "Skip for now" is as prominent as "Save".
struct IntroPage {
    let text: String
    let next: String
    let firstTime: Bool
    var alsoPost = false
    var errors = FormErrors()

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        return req.page(t(firstTime ? "intro.title" : "intro.edit_title"), status: errors.isEmpty ? .ok : .unprocessableEntity) {
            El("h1") { T(t(firstTime ? "intro.title" : "intro.edit_title")) }
            El("p", ["class": "lead"]) { T(t("intro.lead")) }
            if !errors.isEmpty { ErrorSummary(errors: errors, context: c) }
            El("form", ["id": "intro-form", "class": "stack-form", "method": "post", "action": "/intro", "novalidate": ""]) {
                CSRFField(token: c.csrfToken)
                VoidEl("input", ["type": "hidden", "name": "next", "value": next])
                TextAreaRow(
                    id: "introduction", label: t("intro.field"), hint: t("intro.hint"), value: text,
                    error: errors.message(for: "introduction").map { t($0) }, required: false, rows: 6, maxLength: IntroForm.maxLength)
                CheckboxRow(id: "also_post", checked: alsoPost) { T(t("intro.also_post")) }
                El("div", ["class": "form-actions"]) {
                    El("button", ["id": "intro-save", "class": "button button-primary", "type": "submit"]) { T(t("intro.save")) }
                    El("button", ["id": "intro-skip", "class": "button button-primary", "type": "submit", "name": "skip", "value": "1"]) {
                        T(t(firstTime ? "intro.skip" : "intro.cancel"))
                    }
                }
            }
        }
    }
}
