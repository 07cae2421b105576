// swift-tools-version:6.0
// Coverage-guided fuzz targets (libFuzzer) for every parser of outside input, kept out of the main build.
// Build and run with `make fuzz` (see README.md): Swift code is compiled with AddressSanitizer and libFuzzer's
// coverage instrumentation, and each target links libFuzzer's driver itself (SwiftPM's `--defsym main=…`
// for executables rules out `-sanitize=fuzzer`'s own `main`).
import PackageDescription

/// One executable per parser; `FuzzSupport` holds the libFuzzer entry shared by all of them.
let targets = ["FuzzGGUF", "FuzzJinja", "FuzzProfile", "FuzzTheme", "FuzzSchema", "FuzzGBNF", "FuzzToolCall",
               "FuzzSSE", "FuzzServe", "FuzzScript"]

let package = Package(
    name: "TokenworksFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Tokenworks", path: "..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
    ] + targets.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport", .product(name: "TokenworksKit", package: "Tokenworks")],
            path: "Sources/\(name)")
    }
)
