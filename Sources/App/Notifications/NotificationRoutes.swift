import Fluent
import SQLKit
import Vapor

/// The member's notifications: the list, opening one, marking all read.
struct NotificationRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let members = routes.grouped(RequireMember()).grouped("notifications")
        members.get(use: list)
        members.post("read-all", use: readAll)
        members.get(":notificationID", "open", use: open)
        members.post(":notificationID", "read", use: markRead)
    }

    /// GET /notifications: the newest 50, unread ones marked.
    func list(req: Request) async throws -> Response {
        let member = try req.requireMember()
        let rows = try await NotificationRows.recent(of: member.requireID(), on: req.db)
        return NotificationsPage(rows: rows).render(req)
    }

    /// GET /notifications/:id/open: marks it read and goes where it points.
    func open(req: Request) async throws -> Response {
        let row = try await markOwn(req)
        return req.redirect(to: row?.path ?? "/notifications")
    }

    /// POST /notifications/:id/read: marks one read and stays on the list.
    func markRead(req: Request) async throws -> Response {
        _ = try await markOwn(req)
        return req.redirect(to: "/notifications")
    }

    /// POST /notifications/read-all
    func readAll(req: Request) async throws -> Response {
        let member = try req.requireMember()
        try await Notification.query(on: req.db).filter(\.$memberID == member.requireID()).filter(\.$readAt == nil)
            .set(\.$readAt, to: req.connect.clock.now()).update()
        return req.redirect(to: "/notifications", flash: Flash(.success, "notifications.all_read"))
    }

    /// Marks one of the member's own notifications read; someone else's is "not found".
    private func markOwn(_ req: Request) async throws -> NotificationRow? {
        let member = try req.requireMember()
        guard let id = req.parameters.get("notificationID", as: UUID.self) else { throw AppError.notFound }
        let memberID = try member.requireID()
        guard let row = try await NotificationRows.one(id, of: memberID, on: req.db) else { throw AppError.notFound }
        if row.readAt == nil {
            try await Notification.query(on: req.db).filter(\.$id == id).set(\.$readAt, to: req.connect.clock.now()).update()
        }
        return row
    }
}
