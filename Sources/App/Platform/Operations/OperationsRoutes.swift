import Fluent
import Metrics
import Prometheus
import SQLKit
import Vapor

/// /healthz/live (liveness) and /healthz (readiness) for load balancers, /metrics for Prometheus.
struct OperationsRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", "live", use: live)
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
    }

    /// Liveness: the process answers, from memory, through the same middleware as every page
    /// (so it is also what the middleware alone costs). Never touches the database.
    func live(req: Request) async throws -> Response {
        Response(status: .ok, headers: Self.plain, body: "ok\n")
    }

    private static let plain: HTTPHeaders = ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"]

    /// Readiness: 200 once the database answers, 503 otherwise.
    func health(req: Request) async throws -> Response {
        do {
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1 AS ok").first()
            return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"], body: "ok\n")
        } catch {
            req.logger.warning("Health check failed: \(String(describing: error))")
            return Response(status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "database unavailable\n")
        }
    }

    /// Prometheus text format, for admins or with the METRICS_TOKEN bearer. Not for "any local
    /// client": behind a reverse proxy on the same machine, every visitor is a local client.
    func metrics(req: Request) async throws -> Response {
        let bearer = req.headers.bearerAuthorization?.token
        let tokenMatches =
            bearer.flatMap { token in
                req.connect.config.metricsToken.map { SecureToken.constantTimeEquals($0, token) }
            } ?? false
        guard tokenMatches || req.member.map(Guardian.canAdminister) == true else { throw AppError.notFound }
        var text = AppMetrics.registry.emitToString()
        do {
            text += try await OperationalGauges.load(on: req.db, now: req.connect.clock.now()).prometheusText
            text += "# HELP connect_database_up Whether the database answered this scrape.\n# TYPE connect_database_up gauge\nconnect_database_up 1\n"
        } catch {
            // The process's own figures still count when the database is away; say that it is.
            req.logger.warning("Metrics could not read the database: \(String(describing: error))")
            text += "# HELP connect_database_up Whether the database answered this scrape.\n# TYPE connect_database_up gauge\nconnect_database_up 0\n"
        }
        return Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: .init(string: text))
    }
}

/// The process-wide metrics registry. swift-metrics allows one bootstrap per process, so this
/// is the one piece of global state: set up once, shared by every Application (tests make many).
enum AppMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
