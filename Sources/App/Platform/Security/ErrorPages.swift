import Vapor

/// Turns every error into a page in the site's layout, with no internal detail.
struct ErrorPages: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPResponseStatus
            var headers = HTTPHeaders()
            switch error {
            case let abort as any AbortError:
                status = abort.status
                headers = abort.headers
            default:
                status = .internalServerError
            }
            if status == .internalServerError {
                request.logger.report(error: error)
            } else {
                request.logger.debug("\(status.code) for \(request.method) \(request.url.path)")
            }
            let response = render(status: status, error: error, request: request)
            for (name, value) in headers where name.lowercased() != "content-type" && name.lowercased() != "location" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
            return response
        }
    }

    private func render(status: HTTPResponseStatus, error: any Error, request: Request) -> Response {
        let key: String
        switch (status, error) {
        case (_, AppError.csrfFailed): key = "csrf"
        case (.notFound, _), (.methodNotAllowed, _), (.unauthorized, _): key = "404"
        case (.forbidden, _): key = "403"
        case (.tooManyRequests, _): key = "429"
        case (.payloadTooLarge, _): key = "413"
        case (.badRequest, _), (.unprocessableEntity, _): key = "400"
        default: key = "500"
        }
        // A wrong method or a missing login on a route answers like a page that does not exist.
        let shown: HTTPResponseStatus = (status == .methodNotAllowed || status == .unauthorized) ? .notFound : status
        return request.page(request.t("error.\(key).title"), status: shown) {
            El("div", ["id": "error-page", "data-status": String(shown.code)]) {
                El("h1") { T(request.t("error.\(key).title")) }
                El("p", ["class": "lead"]) { T(request.t("error.\(key).body")) }
                El("p") {
                    El("a", ["href": "/"]) { T(request.t("error.home_link")) }
                }
                El("p", ["class": "muted"]) {
                    T(request.t("error.help_hint") + " ")
                    El("a", ["href": "/help"]) { T(request.t("page.help")) }
                }
            }
        }
    }
}
