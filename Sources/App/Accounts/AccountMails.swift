import TextRules
import Vapor

/// The account emails, in the recipient's language, as plain text and HTML.
struct AccountMails {
    let localizer: Localizer
    let locale: AppLocale
    let publicURL: String

    func verification(pseudonym: String, token: String) -> ComposedMail {
        compose(prefix: "mail.verify", pseudonym: pseudonym, link: publicURL + Paths.verify(token: token))
    }

    func passwordReset(pseudonym: String, token: String) -> ComposedMail {
        compose(prefix: "mail.reset", pseudonym: pseudonym, link: publicURL + Paths.passwordReset(token: token))
    }

    /// Sent when someone signs up with an address that already has an account, so the
    /// sign-up page can answer the same either way.
    func alreadyRegistered(pseudonym: String) -> ComposedMail {
        compose(prefix: "mail.existing", pseudonym: pseudonym, link: "\(publicURL)/login")
    }

    /// The confirmation link for a new address, sent to that address.
    func emailChange(pseudonym: String, token: String) -> ComposedMail {
        compose(prefix: "mail.email_change", pseudonym: pseudonym, link: publicURL + Paths.emailConfirm(token: token))
    }

    /// Tells the old address that a change was asked for, with the way to act if it was not them.
    func emailChangeNotice(pseudonym: String) -> ComposedMail {
        compose(prefix: "mail.email_notice", pseudonym: pseudonym, link: "\(publicURL)/password/forgot")
    }

    func compose(prefix: String, pseudonym: String, link: String) -> ComposedMail {
        let t = { (key: String) in localizer.text("\(prefix).\(key)", locale, ["name": pseudonym]) }
        let footer = localizer.text("mail.footer", locale)
        let text = """
            \(localizer.text("mail.greeting", locale, ["name": pseudonym]))

            \(t("body"))

            \(link)

            \(t("after"))

            \(footer)
            """
        let e = HTMLEscaping.text
        let html = """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(e(t("subject")))</title></head>
            <body style="font-family: sans-serif; line-height: 1.6; color: #222; max-width: 36rem;">
            <p>\(e(localizer.text("mail.greeting", locale, ["name": pseudonym])))</p>
            <p>\(e(t("body")))</p>
            <p><a href="\(HTMLEscaping.attribute(link))">\(e(t("button")))</a></p>
            <p style="font-size: 0.9em;">\(e(link))</p>
            <p>\(e(t("after")))</p>
            <p style="color: #555; font-size: 0.9em;">\(e(footer))</p>
            </body></html>
            """
        return ComposedMail(subject: t("subject"), text: text, html: html)
    }
}

extension Request {
    /// Account mails in a given language (the member's, or this response's).
    func accountMails(_ locale: AppLocale? = nil) -> AccountMails {
        AccountMails(services: connect, locale: locale ?? self.locale)
    }
}

extension AccountMails {
    init(services: ConnectServices, locale: AppLocale) {
        self.init(localizer: services.localizer, locale: locale, publicURL: services.config.publicURL)
    }
}
