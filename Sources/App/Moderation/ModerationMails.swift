import TextRules
import Vapor

/// The emails a member gets when a moderator acts on their account, in their language.
struct ModerationMails {

    let localizer: Localizer
    let locale: AppLocale
    let publicURL: String

    func action(_ kind: ModerationAction.Kind, pseudonym: String, reason: String, until: Date?) -> ComposedMail {
        let t = { (key: String, values: [String: String]) in localizer.text(key, locale, values) }
        let subject = t("mail.moderation.subject.\(kind.rawValue)", [:])
        var lines = [t("mail.greeting", ["name": pseudonym]), t("mail.moderation.body.\(kind.rawValue)", [:])]
        if !reason.isEmpty { lines.append(reason) }
        if let until {
            lines.append(
                until >= ModerationAction.indefinitely
                    ? t("mail.moderation.indefinitely", [:])
                    : t("mail.moderation.until", ["date": DateFormatting.dayTime(until, locale: locale)]))
        }
        let link = "\(publicURL)/notices"
        lines.append(t("mail.moderation.read_more", ["link": link]))
        lines.append(t("mail.moderation.help", ["link": "\(publicURL)/help"]))
        lines.append(localizer.text("mail.footer", locale))
        let e = HTMLEscaping.text
        let html = """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(e(subject))</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #222; max-width: 36rem;">
            \(lines.map { "<p>\(e($0))</p>" }.joined(separator: "\n"))
            </body></html>
            """
        return ComposedMail(subject: subject, text: lines.joined(separator: "\n\n"), html: html)
    }
}

extension ModerationMails {
    /// In the member's language (or the site's), with links from the public address.
    init(services: ConnectServices, locale: AppLocale?) {
        self.init(localizer: services.localizer, locale: locale ?? services.config.defaultLocale, publicURL: services.config.publicURL)
    }
}

extension Request {
    func moderationMails(_ locale: AppLocale?) -> ModerationMails {
        ModerationMails(services: connect, locale: locale)
    }
}
