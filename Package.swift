// swift-tools-version:6.0
// Tokenworks: a terminal workbench for chatting with, and running agents on, local GGUF models.
// The target graph is the architecture: GGUF → Kernels → Inference → Agents (+ Ledger) → TUI → tokenworks.
import PackageDescription

/// Settings every Swift target shares: Swift 6 language mode is implied by tools 6.0.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// Numeric targets are compiled without overflow/bounds traps in release builds; their inputs are validated
/// at the API boundary (GGUF ranges, shapes) and every fast path is tested against a checked scalar twin.
let numericSettings: [SwiftSetting] = swiftSettings + [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]

let package = Package(
    name: "Tokenworks",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tokenworks", targets: ["tokenworks"]),
        // For the fuzz package under fuzz/, which depends on this one by path (not built by `make build`).
        .library(name: "TokenworksKit", targets: ["GGUF", "Jinja", "Inference", "Ledger", "Agents", "TUI", "Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        // `tokenworks serve` (Hummingbird on swift-nio) and MCP tool servers (the MCP swift-sdk). Remote models
        // use Foundation's URLSession: TLS included, no BoringSSL to compile (see OpenAIClient).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Graceful shutdown of in-process test servers (Hummingbird runs on it already).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "GGUF", swiftSettings: swiftSettings),
        .target(name: "Kernels", dependencies: ["CKernels"], swiftSettings: numericSettings),
        .target(name: "Jinja", swiftSettings: swiftSettings),
        .target(name: "Inference", dependencies: ["GGUF", "Kernels", "Jinja"], swiftSettings: numericSettings),
        .target(name: "Ledger", dependencies: [.product(name: "GRDB", package: "GRDB.swift"), "Yams"],
                swiftSettings: swiftSettings),
        .target(name: "Agents", dependencies: ["Inference", "Ledger", "Yams",
                                               .product(name: "MCP", package: "swift-sdk"),
                                               .product(name: "SystemPackage", package: "swift-system",
                                                        condition: .when(platforms: [.linux]))],
                swiftSettings: swiftSettings),
        // `tokenworks serve`: the runtime behind an OpenAI-compatible HTTP API. Its own target so the
        // executable stays a thin layer of commands and the HTTP stack builds once, apart from the CLI.
        .target(name: "Server", dependencies: ["Agents", "Inference", "Ledger",
                                               .product(name: "Hummingbird", package: "hummingbird"),
                                               .product(name: "NIOCore", package: "swift-nio"),
                                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: swiftSettings),
        .target(name: "TUI", dependencies: ["Agents", "Ledger", "CNcursesw", "Yams"], swiftSettings: swiftSettings,
                linkerSettings: [.linkedLibrary("ncursesw", .when(platforms: [.linux])),
                                 .linkedLibrary("ncurses", .when(platforms: [.macOS]))]),
        .executableTarget(
            name: "tokenworks",
            dependencies: [
                "TUI", "Agents", "Server", "Inference", "Ledger", "GGUF", "Jinja", "Kernels",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        .target(name: "TestSupport", dependencies: ["GGUF", "Inference", "TUI"], path: "Tests/TestSupport",
                swiftSettings: swiftSettings),
        .testTarget(name: "GGUFTests", dependencies: ["GGUF", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "InferenceTests", dependencies: ["Inference", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "AgentsTests", dependencies: ["Agents", "TestSupport",
                                                        .product(name: "Hummingbird", package: "hummingbird"),
                                                        .product(name: "ServiceLifecycle",
                                                                 package: "swift-service-lifecycle"),
                                                        .product(name: "Logging", package: "swift-log"),
                                                        .product(name: "NIOCore", package: "swift-nio")],
                    swiftSettings: swiftSettings),
        .testTarget(name: "TUITests", dependencies: ["TUI", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ConformanceTests", dependencies: ["Inference", "GGUF", "Jinja", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Ledger", "TUI", "Agents"],
                    exclude: ["ServeOpenAIClient.py"], swiftSettings: swiftSettings),
    ]
)
