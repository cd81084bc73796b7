import TextRules
import Vapor

/// What a form page shows again when a text was not published: errors, a preview, or the
/// privacy nudge. The text itself stays in the page's form as typed.
struct PublishFormState: Sendable {
    var errors = FormErrors()
    var preview: String? = nil
    var privacy: [PrivacyScanner.Finding] = []
}

extension Request {
    /// Turns the publishing path's outcome into a response, the same way for every kind of
    /// text: the form again (on its own URL, with the text as typed) or, once written, the
    /// support page after a crisis or hold, else `published` (usually the post, with a flash).
    /// `textField`: the form field that holds the text (where a "blocked" error points).
    func respond(
        to outcome: PublishOutcome, textField: String = "body", form: (PublishFormState) -> Response,
        published: (PublishedText) throws -> Response
    ) throws -> Response {
        switch outcome {
        case .notAllowed:
            throw AppError.forbidden
        case .invalid(var errors):
            // A paste too large to arrive whole was cut (OversizedForm): say so first, on the text itself.
            if storage[OversizedForm.WasCutKey.self] == true {
                var cut = FormErrors()
                cut.add(textField, "forum.error.body_cut")
                for item in errors.items where item.field != textField { cut.add(item.field, item.key) }
                errors = cut
            }
            return form(PublishFormState(errors: errors))
        case .preview(let html):
            return form(PublishFormState(preview: html))
        case .blocked:
            var errors = FormErrors()
            errors.add(textField, "safety.blocked")
            return form(PublishFormState(errors: errors))
        case .needsPrivacyConfirmation(let findings):
            return form(PublishFormState(privacy: findings))
        case .published(let text):
            if text.goesToSupport, let topic = text.topic, let post = text.post {
                return redirect(to: Paths.support(topic: topic, post: post))
            }
            if text.goesToSupport, let conversationID = text.conversationID { return redirect(to: Paths.support(conversationID: conversationID)) }
            if text.goesToSupport { return redirect(to: "/support") }
            return try published(text)
        }
    }
}
