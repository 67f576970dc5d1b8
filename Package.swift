// swift-tools-version:6.0
import PackageDescription

// Layering (inner to outer): Simulation → Patterns → Lessons; Canvas → Scenes → App;
// Terminal is the only target that touches the terminal, clustertutor the only one that touches files.
let package = Package(
    name: "ClusterTutor",
    products: [
        .executable(name: "clustertutor", targets: ["clustertutor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "Simulation", dependencies: [
            .product(name: "HeapModule", package: "swift-collections"),
            .product(name: "DequeModule", package: "swift-collections"),
        ]),
        .target(name: "Patterns", dependencies: ["Simulation"]),
        .target(name: "Lessons", dependencies: ["Simulation", "Patterns",
            .product(name: "DequeModule", package: "swift-collections")]),
        .target(name: "Canvas"),
        .target(name: "Scenes", dependencies: ["Canvas", "Simulation", "Patterns", "Lessons"]),
        .target(name: "App", dependencies: ["Canvas", "Scenes", "Lessons", "Patterns", "Simulation"]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "Terminal", dependencies: ["CNcursesw", "Canvas"]),
        .executableTarget(name: "clustertutor", dependencies: [
            "App", "Terminal", "Lessons", "Patterns", "Simulation", "Canvas", "Scenes",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "PatternsTests", dependencies: ["Patterns", "Simulation", "Lessons"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Patterns", "Simulation"]),
        .testTarget(name: "AppTests", dependencies: ["App", "Scenes", "Canvas", "Lessons", "Patterns", "Simulation"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ]
)
