import Fluent
import Vapor

/// The moderators' desk: the dashboard, shifts with their handover, and the logbook.
/// Every route here is for moderators and admins only.
struct ModerationRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let mod = routes.grouped(RequireRole.moderator).grouped("mod")
        mod.get(use: dashboard)
        mod.get("shift", use: shift)
        mod.post("shift", "start", use: startShift)
        mod.post("shift", "acknowledge", use: acknowledge)
        mod.get("shift", "end", use: endShiftForm)
        mod.post("shift", "end", use: endShift)
        mod.get("logbook", use: logbook)
    }

    /// GET /mod: the shift, the screening figures, the queue, topics waiting for a response, and
    /// this week's newcomers.
    func dashboard(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let now = req.connect.clock.now()
        let shift = try await ShiftDesk(database: req.db, now: now).current(for: me.requireID())
        let figures = try await ScreeningFigures.load(on: req.db, now: now)
        let queue = try await ReviewQueue(database: req.db).openCounts()
        let newcomers = try await Member.query(on: req.db)
            .filter(\.$createdAt >= now.addingTimeInterval(-7 * 86_400)).filter(\.$emailVerifiedAt != nil)
            .sort(\.$createdAt, .descending).limit(100).all()
        let acknowledge = try await AlertRows.medianTimeToAcknowledge(on: req.db, now: now)
        let welcome = try await WelcomeQueue.medianTimeToWelcome(on: req.db, now: now)
        let watch = try await ResponseWatch.load(on: req.db, now: now)
        return DashboardPage(
            shift: shift, figures: figures, queue: queue, newcomers: newcomers, now: now,
            medianAcknowledge: acknowledge, medianWelcome: welcome,
            waiting: try await watch.waiting(limit: ResponseWatch.dashboardLimit), responses: try await watch.figures()
        ).render(req)
    }

    /// GET /mod/shift: start a shift, read the handover, or see the shift in progress.
    func shift(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let now = req.connect.clock.now()
        guard let shift = try await ShiftDesk(database: req.db, now: now).current(for: me.requireID()) else {
            return StartShiftPage(suggested: Shift.Kind.suggested(at: now, timeZone: me.timeZone)).render(req)
        }
        let handover = try await Handover.load(for: me.requireID(), current: shift, on: req.db)
        return HandoverPage(shift: shift, handover: handover).render(req)
    }

    /// POST /mod/shift/start
    func startShift(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let now = req.connect.clock.now()
        let kind =
            Shift.Kind(rawValue: (try? req.content.get(String.self, at: "kind")) ?? "")
            ?? Shift.Kind.suggested(at: now, timeZone: me.timeZone)
        _ = try await ShiftDesk(database: req.db, now: now).start(for: me, kind: kind)
        return req.redirect(to: "/mod/shift", flash: Flash(.success, "mod.shift.started"))
    }

    /// POST /mod/shift/acknowledge: the handover has been read.
    func acknowledge(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let desk = ShiftDesk(database: req.db, now: req.connect.clock.now())
        guard let shift = try await desk.current(for: me.requireID()) else { return req.redirect(to: "/mod/shift") }
        try await desk.acknowledge(shift)
        return req.redirect(to: "/mod", flash: Flash(.success, "mod.shift.acknowledged"))
    }

    /// GET /mod/shift/end: the logbook entry that ends a shift.
    func endShiftForm(req: Request) async throws -> Response {
        let me = try req.requireMember()
        guard try await ShiftDesk(database: req.db, now: req.connect.clock.now()).current(for: me.requireID()) != nil else {
            return req.redirect(to: "/mod/shift")
        }
        return EndShiftPage(form: LogbookForm()).render(req)
    }

    /// POST /mod/shift/end
    func endShift(req: Request) async throws -> Response {
        let me = try req.requireMember()
        let desk = ShiftDesk(database: req.db, now: req.connect.clock.now())
        guard let shift = try await desk.current(for: me.requireID()) else { return req.redirect(to: "/mod/shift") }
        let form = try req.content.decode(LogbookForm.self)
        let errors = form.validate()
        guard errors.isEmpty else { return EndShiftPage(form: form, errors: errors).render(req) }
        try await desk.end(shift, entry: form.entry())
        return req.redirect(to: "/mod", flash: Flash(.success, "mod.shift.ended"))
    }

    /// GET /mod/logbook?before=: every entry, newest first, 30 a page.
    func logbook(req: Request) async throws -> Response {
        let before = req.query[Double.self, at: "before"].map { Date(timeIntervalSince1970: $0) } ?? .distantFuture
        let rows = try await LogbookEntry.query(on: req.db).filter(\.$createdAt < before)
            .sort(\.$createdAt, .descending).limit(31).all()
        let authorIDs = Array(Set(rows.map(\.authorID)))
        let authors = try await Member.query(on: req.db).filter(\.$id ~~ authorIDs).all()
        let names = Dictionary(uniqueKeysWithValues: authors.compactMap { m in m.id.map { ($0, m.pseudonym) } })
        let entries = rows.prefix(30).map { Handover.Entry(entry: $0, authorPseudonym: names[$0.authorID] ?? "", shiftKind: .adHoc) }
        return LogbookPage(entries: Array(entries), next: rows.count > 30 ? rows[29].createdAt : nil).render(req)
    }
}

/// The logbook entry written at the end of a shift.
struct LogbookForm: Content {
    var atmosphere: String?
    var atmosphere_note: String?
    var peculiarities: String?
    var watch_members: String?
    var open_items: String?

    static let maxLength = 5_000

    func validate() -> FormErrors {
        var errors = FormErrors()
        if Int(atmosphere ?? "").map(LogbookEntry.atmosphereRange.contains) != true { errors.add("atmosphere", "mod.logbook.error.atmosphere") }
        let text = (peculiarities ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors.add("peculiarities", "mod.logbook.error.peculiarities") }
        for (field, value) in [
            ("atmosphere_note", atmosphere_note), ("peculiarities", peculiarities),
            ("watch_members", watch_members), ("open_items", open_items),
        ]
        where (value ?? "").count > Self.maxLength {
            errors.add(field, "mod.logbook.error.too_long")
        }
        return errors
    }

    func entry() -> LogbookEntry {
        let entry = LogbookEntry()
        entry.atmosphere = Int(atmosphere ?? "") ?? 3
        entry.atmosphereNote = (atmosphere_note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        entry.peculiarities = (peculiarities ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        entry.watchMembers = (watch_members ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        entry.openItems = (open_items ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return entry
    }
}
