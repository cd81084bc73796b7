import Vapor

/// Errors that end a request with a friendly page of their own.
enum AppError: Error, AbortError {
    case csrfFailed
    case rateLimited(retryAfter: Int)
    case notFound
    case forbidden

    var status: HTTPResponseStatus {
        switch self {
        case .csrfFailed, .forbidden: .forbidden
        case .rateLimited: .tooManyRequests
        case .notFound: .notFound
        }
    }

    var reason: String {
        switch self {
        case .csrfFailed: "csrf"
        case .rateLimited: "rate limited"
        case .notFound: "not found"
        case .forbidden: "forbidden"
        }
    }

    var headers: HTTPHeaders {
        if case .rateLimited(let seconds) = self { return ["Retry-After": String(seconds)] }
        return [:]
    }
}
