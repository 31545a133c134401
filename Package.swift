// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Hindsight",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hindsight", targets: ["hindsight"]),
        .library(name: "HindsightCore", targets: ["HindsightCore"]),
        .library(name: "HindsightSite", targets: ["HindsightSite"]),
        .library(name: "MustacheKit", targets: ["MustacheKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already built for Hummingbird's dependencies; its SHA-256 keys the caches.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // System C libraries, found with pkg-config.
        .systemLibrary(
            name: "CGit2", path: "Sources/CGit2", pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(
            name: "CCmarkGFM", path: "Sources/CCmarkGFM", pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),

        // Swift wrappers: no C type crosses these modules' public API.
        .target(name: "GitKit", dependencies: ["CGit2"]),
        .target(name: "CommonMarkKit", dependencies: ["CCmarkGFM"]),

        // The template engine: Mustache compiled once per theme, rendered from typed values.
        .target(name: "MustacheKit"),

        // The pipeline: source → documents → archive.
        .target(
            name: "HindsightCore",
            dependencies: [
                "GitKit", "CommonMarkKit", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),

        // The built-in theme: templates and assets shipped as resources.
        .target(
            name: "HindsightTheme", path: "Theme",
            exclude: ["README.md"],
            resources: [.copy("templates"), .copy("assets"), .copy("new.md"), .copy("scaffold")]),

        // Outputs and writer: pages, JSON export, atomic output folder.
        .target(
            name: "HindsightSite",
            dependencies: [
                "HindsightCore", "HindsightTheme", "MustacheKit",
                .product(name: "CompressNIO", package: "compress-nio"),
            ]),

        // `hindsight serve`: preview server with live reload (Hummingbird).
        .target(
            name: "HindsightServe",
            dependencies: [
                "HindsightCore", "HindsightSite",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Command layer and executable.
        .target(
            name: "HindsightCLI",
            dependencies: [
                "HindsightCore", "HindsightSite", "HindsightServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "hindsight", dependencies: ["HindsightCLI"]),

        // Benchmarks: a deterministic corpus written as a real Git history (`make bench`).
        .executableTarget(
            name: "hindsight-corpus", path: "Benchmarks/Corpus"),

        // Real Git repositories in temporary folders, shared by the test targets.
        .target(name: "TestSupport", dependencies: ["GitKit"], path: "Tests/TestSupport"),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "TestSupport"]),
        .testTarget(name: "CommonMarkKitTests", dependencies: ["CommonMarkKit"]),
        .testTarget(name: "MustacheKitTests", dependencies: ["MustacheKit"]),
        .testTarget(name: "HindsightCoreTests", dependencies: ["HindsightCore", "GitKit", "TestSupport"]),
        .testTarget(
            name: "HindsightSiteTests",
            dependencies: [
                "HindsightSite", "HindsightCore", "HindsightCLI", "GitKit", "TestSupport",
                .product(name: "Yams", package: "Yams"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
