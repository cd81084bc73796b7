// swift-tools-version:6.0
import PackageDescription

/// SwiftNIO with TLS: what the SMTP client, its test server and their tests build on.
let nioWithTLS: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOSSL", package: "swift-nio-ssl"),
]

let package = Package(
    name: "depression-connect",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "connect", targets: ["connect"]),
        /// The benchmarks' ceiling: a bare Vapor app with one plaintext route (scripts/bench-forum).
        .executable(name: "ceiling", targets: ["ceiling"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/JohnSundell/Plot.git", from: "0.14.0"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        /// Pure rules: no Vapor, no Fluent. Fast to build and test.
        .target(name: "TextRules", dependencies: [.product(name: "Ink", package: "Ink")]),
        /// SMTP client and MIME writer on SwiftNIO: no Vapor, no Fluent.
        .target(name: "SMTPMail", dependencies: nioWithTLS + [.product(name: "Logging", package: "swift-log")]),
        .target(
            name: "App",
            dependencies: [
                "TextRules",
                "SMTPMail",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Plot", package: "Plot"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["README.md"]
        ),
        .executableTarget(
            name: "connect",
            dependencies: ["App", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        .executableTarget(name: "ceiling", dependencies: [.product(name: "Vapor", package: "vapor")]),
        .testTarget(name: "TextRulesTests", dependencies: ["TextRules"]),
        /// A real SMTP server on NIO, shared by the SMTPMail and App tests.
        .target(
            name: "SMTPTestSupport",
            dependencies: nioWithTLS + [.product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            path: "Tests/SMTPTestSupport"
        ),
        .testTarget(name: "SMTPMailTests", dependencies: ["SMTPMail", "SMTPTestSupport"] + nioWithTLS),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "SMTPTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
