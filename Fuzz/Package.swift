// swift-tools-version: 6.0
// libFuzzer targets for the parser, built only by `make fuzz` (see docs/security.md).
//
// A package of its own because every module must be compiled with `-sanitize=fuzzer`, and the targets
// link only against libFuzzer (whose driver each main calls): neither fits the normal `swift build`.
import PackageDescription

let package = Package(
    name: "HindsightFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        // Named, so the targets below find it whatever the checkout's folder is called.
        .package(name: "Hindsight", path: "..")
    ],
    targets: [
        // libFuzzer's driver, called from each target's main.
        .target(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer", .product(name: "HindsightCore", package: "Hindsight")]),
        .executableTarget(name: "FuzzDocument", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzTimeline", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzTables", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzCheck", dependencies: ["FuzzSupport"]),
        // The template engine alone: no HindsightCore, so it builds while the pipeline does not.
        .executableTarget(
            name: "FuzzTemplate",
            dependencies: ["CLibFuzzer", .product(name: "MustacheKit", package: "Hindsight")]),
    ],
    swiftLanguageModes: [.v6]
)
