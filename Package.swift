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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
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
        .target(name: "Agents", dependencies: ["Inference", "Ledger", "Yams"], swiftSettings: swiftSettings),
        .target(name: "TUI", dependencies: ["Agents", "Ledger", "CNcursesw", "Yams"], swiftSettings: swiftSettings,
                linkerSettings: [.linkedLibrary("ncursesw", .when(platforms: [.linux])),
                                 .linkedLibrary("ncurses", .when(platforms: [.macOS]))]),
        .executableTarget(
            name: "tokenworks",
            dependencies: [
                "TUI", "Agents", "Inference", "Ledger", "GGUF", "Jinja", "Kernels",
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
        .testTarget(name: "AgentsTests", dependencies: ["Agents", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TUITests", dependencies: ["TUI", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ConformanceTests", dependencies: ["Inference", "GGUF", "Jinja", "TestSupport"],
                    swiftSettings: swiftSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Ledger", "TUI"], swiftSettings: swiftSettings),
    ]
)
