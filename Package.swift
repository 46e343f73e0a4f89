// swift-tools-version:6.1
import PackageDescription

// Layering (dependencies point down, never up):
//   via (CLI) → PhotoAnalysis → CJPEGShim → CJPEG (libjpeg)
//                             → VIACore (pure model, no I/O)
let package = Package(
    name: "via",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "via", targets: ["via"]),
        .library(name: "VIACore", targets: ["VIACore"]),
        .library(name: "PhotoAnalysis", targets: ["PhotoAnalysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", "5.0.1"..<"7.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg-dev"])]
        ),
        .target(
            name: "CJPEGShim",
            dependencies: ["CJPEG"]
        ),
        .target(name: "VIACore"),
        .target(name: "Rules", dependencies: ["VIACore"]),
        .target(
            name: "RuleSets",
            dependencies: [
                "VIACore", "Rules", "Yams",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Store",
            dependencies: [
                "VIACore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Audit",
            dependencies: [
                "VIACore", "PhotoAnalysis", "Rules", "RuleSets", "Store",
            ]
        ),
        .target(
            name: "Samples",
            dependencies: ["VIACore", "PhotoAnalysis", "Store", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "Supervision",
            dependencies: ["VIACore", "Store", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The HTTP intake lives in its own target so that library tests do not wait for NIO.
        .target(
            name: "Server",
            dependencies: [
                "VIACore", "Store", "Audit", "Supervision", "PhotoAnalysis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // openapi.yaml (also linked from the repository root) compiled into the binary, served at /openapi.yaml.
            resources: [.embedInCode("Resources/openapi.yaml")]
        ),
        .target(
            name: "PhotoAnalysis",
            dependencies: [
                "CJPEGShim", "VIACore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "via",
            dependencies: [
                "VIACore", "PhotoAnalysis", "Rules", "RuleSets", "Store", "Audit", "Samples", "Supervision", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Test helpers shared by the test targets: photo factories and damage, temporary folders.
        .target(name: "VIATesting", dependencies: ["PhotoAnalysis", "VIACore", "Store", "RuleSets", "Samples"]),
        .testTarget(name: "VIACoreTests", dependencies: ["VIACore"]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "VIACore"]),
        .testTarget(name: "RuleSetsTests", dependencies: ["RuleSets", "Rules", "VIACore"]),
        .testTarget(
            name: "StoreTests",
            dependencies: ["Store", "VIACore", "VIATesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "AuditTests",
            dependencies: ["Audit", "Samples", "RuleSets", "Store", "VIACore", "VIATesting",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "PhotoAnalysisTests", dependencies: ["PhotoAnalysis", "VIACore", "VIATesting"]),
        .testTarget(
            name: "SupervisionTests",
            dependencies: ["Supervision", "Store", "Samples", "VIACore", "VIATesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Store", "Audit", "Supervision", "VIACore", "VIATesting", "Yams",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["via", "PhotoAnalysis", "Store", "VIATesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
