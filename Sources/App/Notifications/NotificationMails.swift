import Foundation
import TextRules
import Vapor

/// Notification emails: one at a time, or a calm digest. Every one says why it came and
/// carries a one-click unsubscribe link that needs no login.
struct NotificationMails {
    let localizer: Localizer
    let locale: AppLocale
    let publicURL: String

    /// The unsubscribe link for one channel, or "digest" for everything that comes in digests.
    func unsubscribeURL(token: String, what: String) -> String {
        publicURL + Paths.unsubscribe(token: token, what: what)
    }

    func single(_ row: NotificationRow, pseudonym: String, token: String) -> ComposedMail {
        let t = { (key: String, values: [String: String]) in localizer.text(key, locale, values) }
        let sentence = row.sentence(localizer, locale)
        let unsubscribe = unsubscribeURL(token: token, what: row.kind.channel.rawValue)
        let lines = [
            t("mail.greeting", ["name": pseudonym]), sentence, "\(publicURL)\(row.path)",
            t("mail.notify.why", [:]), t("mail.notify.settings", ["link": "\(publicURL)/settings/notifications"]),
            t("mail.notify.unsubscribe", ["link": unsubscribe]),
        ]
        var mail = ComposedMail(
            subject: sentence, text: lines.joined(separator: "\n\n"),
            html: html(
                title: sentence, paragraphs: [lines[0]], items: [(sentence, "\(publicURL)\(row.path)")],
                after: Array(lines[3...4]), unsubscribe: (t("mail.notify.unsubscribe_link", [:]), unsubscribe)))
        mail.unsubscribeURL = unsubscribe
        return mail
    }

    /// A digest: what concerns the member first; a calm line when nothing needs them.
    func digest(_ rows: [NotificationRow], pseudonym: String, token: String, weekly: Bool) -> ComposedMail {
        let t = { (key: String, values: [String: String]) in localizer.text(key, locale, values) }
        let ordered = rows.sorted { ($0.kind.weight, $1.updatedAt) < ($1.kind.weight, $0.updatedAt) }
        let shown = Array(ordered.prefix(20))
        let subject = t(weekly ? "mail.digest.subject_weekly" : "mail.digest.subject_daily", ["count": String(rows.count)])
        let calm = rows.contains { $0.kind.concernsMember } ? t("mail.digest.for_you", [:]) : t("mail.digest.nothing_needs_you", [:])
        let unsubscribe = unsubscribeURL(token: token, what: "digest")
        var text = [t("mail.greeting", ["name": pseudonym]), calm]
        text.append(shown.map { "- \($0.sentence(localizer, locale))\n  \(publicURL)\($0.path)" }.joined(separator: "\n"))
        if rows.count > shown.count {
            text.append(localizer.plural("mail.digest.more", count: rows.count - shown.count, locale, ["link": "\(publicURL)/notifications"]))
        }
        let after = [t("mail.digest.no_rush", [:]), t("mail.notify.settings", ["link": "\(publicURL)/settings/notifications"])]
        text += after
        text.append(t("mail.notify.unsubscribe", ["link": unsubscribe]))
        var mail = ComposedMail(
            subject: subject, text: text.joined(separator: "\n\n"),
            html: html(
                title: subject, paragraphs: [text[0], calm],
                items: shown.map { ($0.sentence(localizer, locale), "\(publicURL)\($0.path)") },
                after: after, unsubscribe: (t("mail.notify.unsubscribe_link", [:]), unsubscribe)))
        mail.unsubscribeURL = unsubscribe
        return mail
    }

    private func html(
        title: String, paragraphs: [String], items: [(String, String)], after: [String],
        unsubscribe: (String, String)
    ) -> String {
        let e = HTMLEscaping.text
        let a = HTMLEscaping.attribute
        return """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(e(title))</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #222; max-width: 36rem;">
            \(paragraphs.map { "<p>\(e($0))</p>" }.joined(separator: "\n"))
            <ul>\(items.map { "<li><a href=\"\(a($0.1))\">\(e($0.0))</a></li>" }.joined())</ul>
            \(after.map { "<p style=\"color: #555;\">\(e($0))</p>" }.joined(separator: "\n"))
            <p style="color: #555; font-size: 0.9em;"><a href="\(a(unsubscribe.1))">\(e(unsubscribe.0))</a></p>
            </body></html>
            """
    }
}
