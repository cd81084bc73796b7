import Vapor

/// Refuses request paths no page or file can have, before anything reads the disk: a NUL or
/// other control character (`/css/site.css%00.html` once served CSS as text/html, because the
/// file name stopped at the NUL while the type came from ".html"), or a segment longer than a
/// file name may be (255 bytes answered 500). Such a path answers as a page that does not exist.
struct PathGuard: AsyncMiddleware {
    static let maxSegmentBytes = 255

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.isAcceptable(request.url.path) else { throw AppError.notFound }
        return try await next.respond(to: request)
    }

    static func isAcceptable(_ rawPath: String) -> Bool {
        guard let decoded = rawPath.removingPercentEncoding else { return false }
        if decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return false }
        return decoded.split(separator: "/").allSatisfy { $0.utf8.count <= maxSegmentBytes }
            && rawPath.split(separator: "/").allSatisfy { $0.utf8.count <= maxSegmentBytes * 3 }
    }
}
