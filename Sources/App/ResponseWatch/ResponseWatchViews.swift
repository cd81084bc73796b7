import Foundation
import Plot

/// Durations as the safety net's pages say them.
enum WaitText {
    /// "12 hours", "1 day": a set time, for explanations.
    static func hours(_ hours: Int, t: Translator) -> String {
        t("waiting.hours", count: hours)
    }

    /// How long a topic has waited, for members: whole hours, then whole days.
    static func waited(_ seconds: TimeInterval, t: Translator) -> String {
        let hours = max(1, Int(seconds / 3_600))
        guard hours >= 48 else { return Self.hours(hours, t: t) }
        let days = hours / 24
        return t("waiting.days", count: days)
    }

    /// "3 topics".
    static func topics(_ count: Int, t: Translator) -> String {
        t("waiting.topics", count: count)
    }

    /// Which topics wait: after 12 hours (6 for a first topic).
    static func rule(_ settings: SiteSettings, t: Translator) -> String {
        t(
            "waiting.lead",
            [
                "wait": hours(settings[.responseWaitHours], t: t),
                "first": hours(settings[.firstTopicWaitHours], t: t),
            ])
    }
}

/// One waiting topic in the moderators' lists: title, badge for a first topic, author, theme,
/// how long it has waited, and (on the queue page) a way to reply. On the dashboard, one line.
struct WaitingTopicItem: Component {
    let topic: WaitingTopic
    let context: PageContext
    var compact = false

    var body: Component {
        let t = context.t
        let waited = t("waiting.waited", ["time": DashboardPage.age(context.now.timeIntervalSince(topic.createdAt), t: t)])
        if compact {
            return El("li", ["id": "waiting-topic-\(topic.id)"]) {
                El("a", ["href": Paths.topic(id: topic.id)]) { T(topic.title) }
                El("span", ["class": "muted"]) { T(" · \(topic.authorPseudonym) · \(waited)") }
            }
        }
        return El("li", ["id": "waiting-topic-\(topic.id)", "class": "queue-item queue-waiting"]) {
            El("h3") {
                El("a", ["href": Paths.topic(id: topic.id)]) { T(topic.title) }
                if topic.firstTopic {
                    T(" ")
                    El("span", ["class": "badge"]) { T(t("waiting.first_topic")) }
                }
            }
            El("p", ["class": "muted"]) {
                El("a", ["href": Paths.modMember(id: topic.authorID)]) { T(topic.authorPseudonym) }
                T(" · \(topic.categoryName(context.locale)) · ")
                El("time", ["datetime": DateFormatting.iso(topic.createdAt)]) { T(DateFormatting.dayTime(topic.createdAt, locale: context.locale)) }
                T(" · " + waited)
            }
            El("p", ["class": "queue-actions"]) {
                El("a", ["class": "button button-secondary", "id": "waiting-reply-\(topic.id)", "href": Paths.topicReply(id: topic.id)]) {
                    T(t("waiting.reply"))
                    El("span", ["class": "visually-hidden"]) { T(": " + topic.title) }
                }
            }
        }
    }
}

/// The waiting topics on the moderators' queue page, oldest first, below the review items.
struct WaitingQueueSection: Component {
    let list: WaitingList
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("section", ["id": "waiting", "class": "waiting-section", "aria-labelledby": "waiting-heading"]) {
            El("h2", ["id": "waiting-heading"]) { T(t("waiting.heading_count", ["count": String(list.total)])) }
            El("p", ["class": "hint"]) { T(WaitText.rule(list.settings, t: t)) }
            if list.topics.isEmpty {
                El("p", ["id": "waiting-empty", "class": "callout"]) { T(t("waiting.empty")) }
            } else {
                El("ol", ["id": "waiting-topics", "class": "queue"]) {
                    for topic in list.topics { WaitingTopicItem(topic: topic, context: context) }
                }
                if list.total > list.topics.count {
                    let more = list.total - list.topics.count
                    El("p", ["class": "muted"]) { T(t("waiting.more", count: more)) }
                }
            }
        }
    }
}

/// The safety net on the moderation dashboard: how many wait, the oldest, and the figures.
struct WaitingDashboardCard: Component {
    let list: WaitingList
    let figures: ResponseFigures
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("section", ["class": "card", "aria-labelledby": "dashboard-waiting-heading"]) {
            El("h2", ["id": "dashboard-waiting-heading"]) { T(t("waiting.heading")) }
            El("p", ["class": "hint"]) { T(WaitText.rule(list.settings, t: t)) }
            El("dl", ["class": "figures", "aria-describedby": "dashboard-waiting-period"]) {
                El("dt") { T(t("waiting.now")) }
                El("dd", ["id": "figure-waiting"]) { T(WaitText.topics(list.total, t: t)) }
                El("dt") { T(t("waiting.median")) }
                El("dd", ["id": "figure-first-response"]) {
                    T(figures.medianFirstResponse.map { DashboardPage.age($0, t: t) } ?? t("waiting.median_none"))
                }
                El("dt") { T(t("waiting.too_long")) }
                El("dd", ["id": "figure-waited-too-long"]) { T(WaitText.topics(figures.waitedTooLong, t: t)) }
            }
            El("p", ["class": "hint", "id": "dashboard-waiting-period"]) { T(t("waiting.period")) }
            if !list.topics.isEmpty {
                El("h3") { T(t("waiting.oldest")) }
                El("ol", ["id": "dashboard-waiting"]) {
                    for topic in list.topics { WaitingTopicItem(topic: topic, context: context, compact: true) }
                }
            }
            El("p") { El("a", ["class": "button button-secondary", "href": Paths.modWaiting]) { T(t("waiting.open")) } }
        }
    }
}

/// For a member who chose it: a few topics still waiting for a reply, on their home page.
struct ResponderListSection: Component {
    let topics: [WaitingTopic]
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("section", ["id": "waiting-for-reply", "class": "card", "aria-labelledby": "waiting-for-reply-heading"]) {
            El("h2", ["id": "waiting-for-reply-heading"]) { T(t("responder.heading")) }
            El("p") { T(t("responder.lead")) }
            El("ul", ["id": "waiting-for-reply-list", "class": "topic-list"]) {
                for topic in topics {
                    El("li", ["class": "topic-row", "id": "waiting-for-reply-\(topic.id)"]) {
                        El("a", ["class": "topic-title", "href": Paths.topic(id: topic.id)]) { T(topic.title) }
                        El("p", ["class": "muted"]) {
                            T(
                                t(
                                    "responder.waiting_since",
                                    [
                                        "category": topic.categoryName(context.locale),
                                        "time": WaitText.waited(context.now.timeIntervalSince(topic.createdAt), t: t),
                                    ]))
                        }
                    }
                }
            }
            El("p", ["class": "muted"]) { El("a", ["href": Paths.responderSetting]) { T(t("responder.settings_link")) } }
        }
    }
}

/// The private care note on the member's home page: thanks, a gentle word, a break, the
/// manual's page on looking after yourself, and a button to close it.
struct CareNoteBanner: Component {
    let context: PageContext

    var body: Component {
        let t = context.t
        return El("section", ["id": "care-note", "class": "callout callout-calm", "aria-labelledby": "care-note-heading"]) {
            El("h2", ["id": "care-note-heading"]) { T(t("care.heading")) }
            El("p") { T(t("care.body")) }
            El("ul", ["class": "inline-list"]) {
                El("li") { El("a", ["id": "care-note-break", "href": Paths.takeABreak]) { T(t("care.break")) } }
                El("li") { El("a", ["id": "care-note-self-care", "href": Paths.selfCare]) { T(t("care.self_care")) } }
            }
            El("p", ["class": "muted"]) { T(t("care.private")) }
            El("form", ["id": "care-note-close-form", "class": "inline-form", "method": "post", "action": Paths.careNoteClose]) {
                CSRFField(token: context.csrfToken)
                El("button", ["id": "care-note-close", "class": "button button-secondary", "type": "submit"]) { T(t("care.close")) }
            }
        }
    }
}
