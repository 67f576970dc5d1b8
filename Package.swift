// swift-tools-version:6.0
import PackageDescription

// Layering (inner to outer): Simulation → Patterns → Lessons; Canvas → Scenes → App;
// Terminal is the only target that touches the terminal, clustertutor the only one that touches files.
// The simulator is generic over a pattern's node type and lives in its own module; without
// cross-module optimization every event pays for unspecialized generic code (measured: 3.5x).
let optimized: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "ClusterTutor",
    products: [
        .executable(name: "clustertutor", targets: ["clustertutor"]),
        .executable(name: "clustertutor-bench", targets: ["Benchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // One compiler builtin Swift cannot spell: a prefetch hint (header only, nothing linked).
        .systemLibrary(name: "CPrefetch"),
        .target(name: "Simulation", dependencies: ["CPrefetch",
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: optimized),
        .target(name: "Patterns", dependencies: ["Simulation",
            .product(name: "DequeModule", package: "swift-collections"),
        ], swiftSettings: optimized),
        .target(name: "Quiz", dependencies: ["Simulation"], swiftSettings: optimized),
        // The quiz's progress file: the one library target that does file I/O.
        .target(name: "QuizStore", dependencies: ["Quiz"]),
        .target(name: "Lessons", dependencies: ["Simulation", "Patterns", "Quiz",
            .product(name: "DequeModule", package: "swift-collections")], swiftSettings: optimized),
        .target(name: "Canvas", swiftSettings: optimized),
        .target(name: "Scenes", dependencies: ["Canvas", "Simulation", "Patterns"], swiftSettings: optimized),
        // Many seeded runs of a pattern, in parallel, and their reports (tables, plots, CSV, JSON).
        .target(name: "Experiments", dependencies: ["Patterns", "Simulation", "Canvas"], swiftSettings: optimized),
        .target(name: "App", dependencies: ["Canvas", "Scenes", "Lessons", "Patterns", "Simulation", "Quiz", "Experiments"], swiftSettings: optimized),
        // No pkgConfig: its -D flags are prohibited and only made SwiftPM warn on every build;
        // the shim asks for the wide-character API itself and the module map links the libraries.
        .systemLibrary(name: "CNcursesw"),
        .target(name: "Terminal", dependencies: ["CNcursesw", "Canvas"]),
        .executableTarget(name: "clustertutor", dependencies: [
            "App", "Terminal", "Lessons", "Patterns", "Simulation", "Canvas", "Scenes", "Quiz", "QuizStore", "Experiments",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Figures for the README (see "Performance"); run in release: swift run -c release clustertutor-bench
        .executableTarget(name: "Benchmarks", dependencies: ["App", "Lessons", "Patterns", "Simulation", "Canvas", "Scenes"]),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation"]),
        .testTarget(name: "PatternsTests", dependencies: ["Patterns", "Simulation", "Lessons"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Patterns", "Simulation", "Quiz"], exclude: ["FuzzFindings"]),
        .testTarget(name: "AppTests", dependencies: ["App", "Scenes", "Canvas", "Lessons", "Patterns", "Simulation", "Quiz", "Experiments"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "QuizTests", dependencies: ["Quiz", "QuizStore", "Simulation"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Patterns", "Simulation", "Canvas"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ]
)

// Fuzz targets (libFuzzer): only in the package when asked for, because they have no `main`
// of their own (libFuzzer's is linked in by -sanitize=fuzzer) and would not link otherwise.
// Scripts/fuzz.sh sets this, builds one with the sanitizer flags and runs it.
import Foundation
if ProcessInfo.processInfo.environment["CLUSTERTUTOR_FUZZ"] != nil {
    package.targets += [
        .executableTarget(name: "FuzzLesson", dependencies: ["App", "Lessons", "Patterns"], path: "Fuzz/FuzzLesson"),
        .executableTarget(name: "FuzzRun", dependencies: ["App", "Canvas", "Lessons", "Patterns"], path: "Fuzz/FuzzRun"),
        .executableTarget(name: "FuzzAnswer", dependencies: ["Quiz"], path: "Fuzz/FuzzAnswer"),
        .executableTarget(name: "FuzzProgress", dependencies: ["Quiz"], path: "Fuzz/FuzzProgress"),
    ]
}
