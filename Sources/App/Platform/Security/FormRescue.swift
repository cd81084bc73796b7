import Fluent
import Plot
import SQLKit
import Vapor

/// Keeps what someone typed when their session expired before they pressed "send":
/// the fields are stored under a random token in a cookie, and the form page shows them
/// again after the member logs in.
enum FormRescue {
    static let cookieName = "dc_rescue"
    /// Only forms with text worth keeping are rescued (`_form` says which form on a page it was).
    static let keptFields = Set(
        [
            "title", "body", "category", "reason", "note", "_form", "introduction",
            // Which item and choices a moderator's form was about.
            "item", "outcome", "kind", "days",
            // A blog entry's readers and comments; a message's recipients.
            "visibility", "comments", "to",
            // A news item's own fields.
            "language", "summary", "second_title", "second_summary", "second_body", "theme", "source_pick", "source_authors",
            "source_publisher", "source_year", "source_link", "publish", "publish_at", "pinned", "public",
            // Which section of a questionnaire (its answers are the `answer-` fields).
            "section",
        ] + SafetyPlanPage.keys)
    /// A questionnaire's answers: one field per item (or per choice of a multiple-choice item).
    static let keptPrefix = "answer-"
    /// A form that posts to an action path without a page of its own names its page here.
    static let returnField = "_return"

    /// Stores the form and sends the visitor to log in (or through another `gate`, such as
    /// accepting new terms), coming back to `returnPath`.
    static func keep(
        _ request: Request, returnPath: String, via gate: String = "/login",
        flash: String = "flash.session_expired_kept"
    ) async throws -> Response {
        let all = (try? request.content.decode([String: String].self)) ?? [:]
        // Kept only as much as the form itself accepts (a post's body, a shorter reason), so a
        // stored rescue is never larger than what a member could have posted.
        var fields = all.filter { keptFields.contains($0.key) || $0.key.hasPrefix(keptPrefix) }.mapValues { String($0.prefix(maxFieldLength)) }
        // A visitor without a session could otherwise fill the disk: rescues per address are
        // limited, and past that the text is simply not kept (they still go to log in).
        do {
            try await request.rateLimiter.hit("rescue:ip:\(request.clientIP)", request.connect.config.rateLimits.rescuesPerIP)
        } catch AppError.rateLimited(_) {
            fields = [:]
        }
        let returnPath = all[returnField].map { LocalPath.sanitise($0) } ?? returnPath
        guard !fields.isEmpty else {
            // Nothing typed to keep (a reaction, say): return to the page the form was on.
            let referer = request.headers.first(name: .referer).flatMap(URLComponents.init(string:))
            let back = LocalPath.sanitise(referer.map { $0.percentEncodedPath + ($0.percentEncodedQuery.map { "?\($0)" } ?? "") })
            return request.redirect(
                to: "\(gate)?next=\(LocalPath.encode(back))", flash: Flash(.info, gate == "/login" ? "flash.login_needed" : flash))
        }
        let now = request.connect.clock.now()
        try await makeRoom(on: request.db, now: now)
        let token = SecureToken.generate()
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        try await RescuedForm(
            tokenHash: SecureToken.hash(token), returnPath: returnPath, fieldsJSON: json,
            createdAt: now, expiresAt: now.addingTimeInterval(86_400)
        ).create(on: request.db)
        let response = request.redirect(to: "\(gate)?next=\(LocalPath.encode(returnPath))", flash: Flash(.info, flash))
        response.cookies[cookieName] = HTTPCookies.Value(
            string: token, maxAge: 86_400, path: "/",
            isSecure: request.connect.config.usesHTTPS, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    /// The longest text kept in one field: a post's body (titles and reasons are shorter).
    static let maxFieldLength = PostForm.bodyLimit
    /// At most this many rescued forms are stored at once; the oldest make room.
    static let maxStored = 5_000

    /// Expired rescues go, and when the table is full the oldest go first: the total stays bounded.
    private static func makeRoom(on db: any Database, now: Date) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM rescued_forms WHERE expires_at <= \(bind: now)").run()
        let stored = try await sql.raw("SELECT COUNT(*) AS n FROM rescued_forms").first()?.decode(column: "n", as: Int.self) ?? 0
        guard stored >= maxStored else { return }
        try await sql.raw(
            """
            DELETE FROM rescued_forms WHERE id IN (SELECT id FROM rescued_forms ORDER BY created_at LIMIT \(bind: stored - maxStored + 1))
            """
        ).run()
    }

    /// The kept fields for this page, once; nil when there are none.
    static func take(_ request: Request) async throws -> [String: String]? {
        guard let token = request.incomingCookies[cookieName]?.string, !token.isEmpty, token.count < 100 else { return nil }
        let now = request.connect.clock.now()
        guard
            let rescued = try await RescuedForm.query(on: request.db)
                .filter(\.$tokenHash == SecureToken.hash(token)).filter(\.$expiresAt > now).first(),
            rescued.returnPath == request.url.path
        else { return nil }
        try await rescued.delete(on: request.db)
        return try? JSONDecoder().decode([String: String].self, from: Data(rescued.fieldsJSON.utf8))
    }
}

/// A rescued form, stored for a day at most.
final class RescuedForm: Model, @unchecked Sendable {
    static let schema = "rescued_forms"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "return_path") var returnPath: String
    @Field(key: "fields_json") var fieldsJSON: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(tokenHash: String, returnPath: String, fieldsJSON: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.returnPath = returnPath
        self.fieldsJSON = fieldsJSON
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The hidden fields that let a form on a page with several forms (moderator actions) be
/// rescued: where to come back to, and which form it was.
struct RescueFields: Component {
    let returnPath: String
    let form: String

    var body: Component {
        ComponentGroup {
            VoidEl("input", ["type": "hidden", "name": FormRescue.returnField, "value": returnPath])
            VoidEl("input", ["type": "hidden", "name": "_form", "value": form])
        }
    }
}
