import TextRules
import Vapor

/// The crisis alert email: who, where, the words with the match, when, and where to act.
struct AlertMails {
    let localizer: Localizer
    let locale: AppLocale
    let publicURL: String

    /// `post` is nil for an alert on text that is not a post (an introduction): the link goes to the member.
    func alert(_ alert: Alert, pseudonym: String, topicTitle: String, post: Post?, escalation: Bool) -> ComposedMail {
        let t = { (key: String, values: [String: String]) in localizer.text(key, locale, values) }
        // An alert whose member is gone (erased) still leads somewhere to act: the alerts page.
        let memberLink = publicURL + (alert.memberID.map { Paths.modMember(id: $0) } ?? "/mod/alerts")
        let postLink = post.map { publicURL + Paths.post($0) } ?? memberLink
        let subject = t(escalation ? "mail.alert.subject_escalated" : "mail.alert.subject", ["name": pseudonym])
        let lines = [
            t(escalation ? "mail.alert.intro_escalated" : "mail.alert.intro", [:]),
            t("mail.alert.member", ["name": pseudonym, "link": memberLink]),
            t("mail.alert.where", ["title": topicTitle, "link": postLink]),
            t("mail.alert.excerpt", ["text": alert.excerpt]),
            t("mail.alert.rule", ["rule": alert.rulePattern]),
            t("mail.alert.time", ["time": DateFormatting.dayTime(alert.createdAt, locale: locale)]),
            t("mail.alert.act", ["link": "\(publicURL)/mod/alerts"]),
        ]
        let e = HTMLEscaping.text
        let html = """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(e(subject))</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #222; max-width: 40rem;">
            \(lines.map { "<p>\(e($0))</p>" }.joined(separator: "\n"))
            </body></html>
            """
        return ComposedMail(subject: subject, text: lines.joined(separator: "\n\n"), html: html)
    }
}
