import Foundation
import NIOHTTP1
import Testing
import VaporTesting

@testable import App

/// A small browser for tests: keeps cookies, fills in the CSRF field, reads pages.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    /// The page last fetched with GET, to read its CSRF token from.
    private(set) var lastPage = ""
    var acceptLanguage: String? = nil

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        let response = try await send(.GET, path, body: nil)
        lastPage = response.text
        return response
    }

    /// Sends a form; the CSRF token from the cookie is added unless `csrf` says otherwise.
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil, includeCSRF: Bool = true) async throws -> TestingHTTPResponse {
        if cookies[CSRFProtection.cookieName] == nil { try await get("/") }
        var all = fields
        // First, as in the pages (CSRFField opens every form): a form cut for its size keeps it.
        if includeCSRF { all.insert((CSRFProtection.fieldName, csrf ?? cookies[CSRFProtection.cookieName] ?? ""), at: 0) }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    func post(_ path: String, rawBody: String) async throws -> TestingHTTPResponse {
        try await send(.POST, path, body: rawBody)
    }

    func forgetCookie(_ name: String) { cookies[name] = nil }
    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let acceptLanguage { headers.add(name: .acceptLanguage, value: acceptLanguage) }
        var buffer: ByteBuffer? = nil
        if let body {
            headers.add(name: .contentType, value: "application/x-www-form-urlencoded")
            buffer = ByteBuffer(string: body)
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: buffer)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count >= 1 else { continue }
            let value = parts.count == 2 ? parts[1] : ""
            let expired = header.lowercased().contains("max-age=0") || value.isEmpty
            cookies[parts[0]] = expired ? nil : value
        }
        return response
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s)
    }
}

extension TestingHTTPResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers.first(name: .location) }
}
