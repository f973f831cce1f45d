// swift-tools-version:6.1
import PackageDescription

// Training throughput benchmark. A separate package so that the main package keeps no
// benchmark-only targets; it links the Factorize library product.
let package = Package(
    name: "TrainingBench",
    dependencies: [.package(name: "Factorize", path: "../..")],
    targets: [
        .executableTarget(
            name: "training-bench",
            dependencies: [.product(name: "Factorize", package: "Factorize")],
            path: "Sources/TrainingBench"),
    ],
    swiftLanguageModes: [.v5]
)
