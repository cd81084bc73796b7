import Fluent
import TextRules
import Vapor

/// The research team's dashboard: for one study, figures about members whose consent holds,
/// as charts with tables. Counts only, small cells suppressed, never a name.
struct ResearchRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireRole.researcher).get("research", use: dashboard)
    }

    /// GET /research?study=ID (else the running study, else the newest).
    func dashboard(req: Request) async throws -> Response {
        let now = req.connect.clock.now()
        let studies = try await Study.query(on: req.db).sort(\.$startsAt, .descending).limit(20).all()
        let chosen = req.query[UUID.self, at: "study"]
        let study =
            studies.first { $0.id == chosen } ?? studies.first { $0.isRunning(at: now) } ?? studies.first
        guard let study, let studyID = study.id else { return ResearchDashboardPage(studies: studies).render(req) }
        // The snapshot the job keeps; a page that finds none (a new study) computes it once.
        var figures = try await ResearchFigures.stored(study: studyID, on: req.db)
        if figures == nil {
            let computed = try await ResearchFigures.compute(study: studyID, now: now, on: req.db)
            try await ResearchFigures.store(computed, study: studyID, on: req.db)
            figures = computed
        }
        return ResearchDashboardPage(
            studies: studies, study: study, figures: figures, waves: try await QuestionnaireQueries.waves(of: studyID, on: req.db),
            responses: try await QuestionnaireQueries.responseFigures(of: studyID, on: req.db)
        ).render(req)
    }
}

struct ResearchDashboardPage {
    let studies: [Study]
    var study: Study? = nil
    var figures: ResearchFigures? = nil
    var waves: [StudyWave] = []
    var responses: [UUID: QuestionnaireQueries.WaveFigures] = [:]

    func render(_ req: Request) -> Response {
        let c = req.pageContext
        let t = c.t
        let styles = ParticipationStyle.allCases
        let chartStyle: [ParticipationStyle: String] = [.inactive: "chart-4", .reading: "chart-1", .posting: "chart-2", .responding: "chart-3"]
        return req.page(t("research.title")) {
            El("h1") { T(t("research.title")) }
            El("p", ["class": "lead"]) { T(t("research.lead")) }
            El("p") { El("a", ["id": "studies-link", "href": Paths.researchStudies]) { T(t("research.studies_title")) } }
            if studies.count > 1 {
                El("nav", ["aria-label": t("research.choose_study")]) {
                    El("ul", ["class": "inline-list"]) {
                        for one in studies {
                            El("li") {
                                El("a", ["href": Paths.research(study: one.id!), "aria-current": one.id == study?.id ? "page" : nil]) { T(one.name) }
                            }
                        }
                    }
                }
            }
            if let study, let figures {
                El("h2", ["id": "study-heading"]) {
                    El("a", ["href": Paths.researchStudy(id: study.id!)]) { T(study.name) }
                }
                El("dl", ["class": "summary-list", "id": "research-figures"]) {
                    El("dt") { T(t("research.consenting")) }
                    El("dd", ["id": "consenting-count"]) { T(SmallCells.shown(figures.consenting)) }
                    El("dt") { T(t("research.computed_at")) }
                    El("dd") { T(DateFormatting.dayTime(figures.computedAt, locale: c.locale)) }
                }
                El("p", ["class": "hint"]) { T(t("research.small_cells")) }

                El("h3") { T(t("research.chart.responses")) }
                BarChart(
                    id: "chart-responses", emptyText: t("research.chart.empty"), title: t("research.chart.responses"),
                    description: t("research.chart.responses_desc"),
                    categories: waves.map { $0.name(c.locale) },
                    series: [
                        .init(name: t("research.invited"), style: "chart-1", values: waves.map { w in w.id.flatMap { responses[$0]?.invited } ?? 0 }),
                        .init(
                            name: t("research.completed"), style: "chart-3", values: waves.map { w in w.id.flatMap { responses[$0]?.completed } ?? 0 }
                        ),
                    ], stacked: false, categoryHeading: t("research.wave"))

                El("p", ["id": "response-rates"]) {
                    T(
                        waves.map { wave in
                            let f = wave.id.flatMap { responses[$0] }
                            return wave.name(c.locale) + ": " + SmallCells.rate(f?.completed ?? 0, of: f?.invited ?? 0)
                        }.joined(separator: " · "))
                }
                El("h3") { T(t("research.chart.styles")) }
                BarChart(
                    id: "chart-styles", emptyText: t("research.chart.empty"), title: t("research.chart.styles"),
                    description: t("research.chart.styles_desc"),
                    categories: figures.weeks.map { "W" + ParticipationStyles.weekLabel(of: $0.start, in: DateFormatting.communityZone).suffix(2) },
                    series: styles.map { style in
                        .init(
                            name: t("research.style.\(style.rawValue)"), style: chartStyle[style]!,
                            values: figures.weeks.map { $0.counts[style.rawValue] ?? 0 })
                    }, categoryHeading: t("research.week"),
                    tableCategories: figures.weeks.map {
                        ParticipationStyles.weekLabel(of: $0.start, in: DateFormatting.communityZone) + " ("
                            + DateFormatting.day($0.start, locale: c.locale) + ")"
                    })

                for (index, transition) in figures.transitions.enumerated() {
                    let months = t(
                        "research.chart.transitions",
                        [
                            "from": DateFormatting.month(transition.fromMonth, locale: c.locale),
                            "to": DateFormatting.month(transition.toMonth, locale: c.locale),
                        ])
                    El("h3") { T(months) }
                    BarChart(
                        id: "chart-transitions-\(index)", emptyText: t("research.chart.empty"), title: months,
                        description: t("research.chart.transitions_desc"),
                        categories: styles.map { t("research.style.\($0.rawValue)") },
                        series: styles.map { to in
                            .init(
                                name: t("research.to_style", ["style": t("research.style.\(to.rawValue)")]), style: chartStyle[to]!,
                                values: styles.map { from in transition.counts["\(from.rawValue)>\(to.rawValue)"] ?? 0 })
                        }, stacked: false, categoryHeading: t("research.from_style"))
                }

                El("h3") { T(t("research.chart.first")) }
                BarChart(
                    id: "chart-first", emptyText: t("research.chart.empty"), title: t("research.chart.first"),
                    description: t("research.chart.first_desc"),
                    categories: ResearchFigures.buckets.map { t("research.bucket.\($0)") },
                    series: [
                        .init(name: t("research.first_post"), style: "chart-2", values: ResearchFigures.buckets.map { figures.firstPost[$0] ?? 0 }),
                        .init(
                            name: t("research.first_response"), style: "chart-3",
                            values: ResearchFigures.buckets.map { figures.firstResponse[$0] ?? 0 }),
                    ], stacked: false, categoryHeading: t("research.since_joining"))
            } else {
                El("p", ["class": "muted", "id": "no-studies"]) { T(t("research.no_studies")) }
            }
        }
    }
}
