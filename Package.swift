// swift-tools-version:6.1
import PackageDescription

// SIMD loops need fused multiply-add in hardware. x86_64 gets it from x86-64-v3
// (Haswell and later); aarch64 always has it through NEON.
#if arch(x86_64)
let numericFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3"])]
#else
let numericFlags: [SwiftSetting] = []
#endif

let package = Package(
    name: "Factorize",
    products: [
        .executable(name: "factorize", targets: ["factorize"]),
        .library(name: "Factorize", targets: [
            "LinearAlgebra", "Decomposition", "ONNX", "Graph", "Runtime", "Factorization",
            "Training", "Datasets", "Backends", "Study", "Checkpoints", "Zoo", "FactorizeCLI",
        ]),
    ],
    targets: [
        .systemLibrary(name: "CLinearAlgebra"),
        .systemLibrary(name: "CZlib"),
        .systemLibrary(name: "CPNG"),
        .systemLibrary(name: "CJPEG"),

        .target(name: "LinearAlgebra", dependencies: ["CLinearAlgebra"], swiftSettings: numericFlags),
        .target(name: "Decomposition", dependencies: ["LinearAlgebra"], swiftSettings: numericFlags),
        .target(name: "ONNX"),
        .target(name: "Graph", dependencies: ["ONNX", "LinearAlgebra", "Decomposition"], swiftSettings: numericFlags),
        .target(name: "Runtime", dependencies: ["Graph", "LinearAlgebra"], swiftSettings: numericFlags),
        .target(
            name: "Factorization", dependencies: ["Graph", "Decomposition", "LinearAlgebra", "Runtime"],
            swiftSettings: numericFlags),
        .target(name: "Datasets", dependencies: ["CZlib", "CPNG", "CJPEG", "LinearAlgebra"], swiftSettings: numericFlags),
        .target(name: "Training", dependencies: ["Runtime", "Graph", "Datasets", "LinearAlgebra"], swiftSettings: numericFlags),
        .target(name: "Backends", dependencies: ["Runtime", "Graph", "ONNX"]),
        .target(name: "Checkpoints", dependencies: ["LinearAlgebra"]),
        .target(name: "Zoo", dependencies: ["Checkpoints", "Graph", "ONNX", "LinearAlgebra"], swiftSettings: numericFlags),
        .target(
            name: "Study",
            dependencies: ["Backends", "Training", "Factorization", "Runtime", "Graph", "Datasets", "Decomposition"]),
        .target(name: "FactorizeCLI", dependencies: [
            "Study", "Backends", "Training", "Factorization", "Runtime", "Graph", "ONNX", "Datasets", "Decomposition", "LinearAlgebra",
            "Checkpoints", "Zoo",
        ]),
        .executableTarget(name: "factorize", dependencies: ["FactorizeCLI"]),

        .target(name: "TestSupport", dependencies: ["Datasets", "LinearAlgebra"], path: "Tests/TestSupport"),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["TestSupport", "LinearAlgebra"]),
        .testTarget(name: "DecompositionTests", dependencies: ["TestSupport", "Decomposition", "LinearAlgebra"]),
        .testTarget(name: "ONNXTests", dependencies: ["TestSupport", "ONNX"]),
        .testTarget(name: "GraphTests", dependencies: ["TestSupport", "Graph", "ONNX"]),
        .testTarget(name: "RuntimeTests", dependencies: ["TestSupport", "Runtime", "Graph", "ONNX", "Datasets"]),
        .testTarget(name: "FactorizationTests", dependencies: ["TestSupport", "Factorization", "Graph", "Runtime"]),
        .testTarget(name: "DatasetsTests", dependencies: ["TestSupport", "Datasets"]),
        .testTarget(name: "BackendsTests", dependencies: ["TestSupport", "Backends"]),
        .testTarget(name: "TrainingTests", dependencies: ["TestSupport", "Training", "Graph", "Datasets"]),
        .testTarget(name: "FactorizeCLITests", dependencies: ["TestSupport", "FactorizeCLI"]),
        .testTarget(name: "StudyTests", dependencies: ["TestSupport", "Study"]),
        .testTarget(
            name: "CheckpointsTests", dependencies: ["TestSupport", "Checkpoints", "LinearAlgebra"], exclude: ["Fixtures"]),
        .testTarget(name: "ZooTests", dependencies: ["TestSupport", "Zoo", "Checkpoints", "Graph", "ONNX", "Runtime", "LinearAlgebra"]),
    ],
    swiftLanguageModes: [.v5]
)
