import Vapor

/// The app's own middleware, run as one: each calls the next with `await`, in one task.
///
/// Registered one by one, Vapor wraps every async middleware in a future and a new task, so a
/// request crossed eleven such bridges before its route began; measured, that was most of what
/// a page without database work cost (`/healthz/live`). The order and behaviour are unchanged.
struct MiddlewareChain: AsyncMiddleware {
    let steps: [any AsyncMiddleware]

    init(_ steps: [any AsyncMiddleware]) { self.steps = steps }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await Link(steps: steps, index: steps.startIndex, last: next).respond(to: request)
    }

    private struct Link: AsyncResponder {
        let steps: [any AsyncMiddleware]
        let index: Int
        let last: any AsyncResponder

        func respond(to request: Request) async throws -> Response {
            guard index < steps.endIndex else { return try await last.respond(to: request) }
            return try await steps[index].respond(to: request, chainingTo: Link(steps: steps, index: index + 1, last: last))
        }
    }
}
