import Plot
import Vapor

/// A short page with one message and an optional link onward (check your email, link expired…).
struct NoticePage {
    let id: String
    let titleKey: String
    let bodyKey: String
    var link: (path: String, key: String)? = nil
    var status: HTTPResponseStatus = .ok

    func render(_ req: Request) -> Response {
        let t = req.pageContext.t
        return req.page(t(titleKey), status: status) {
            El("div", ["id": id]) {
                El("h1") { T(t(titleKey)) }
                El("p", ["class": "lead"]) { T(t(bodyKey)) }
                if let link {
                    El("p") { El("a", ["class": "button button-primary", "href": link.path]) { T(t(link.key)) } }
                }
            }
        }
    }

    static let tokenInvalid = NoticePage(
        id: "token-invalid", titleKey: "token.invalid_title", bodyKey: "token.invalid_body",
        link: ("/login", "login.title"), status: .notFound)
}
