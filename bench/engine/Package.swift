// swift-tools-version:6.1
import PackageDescription

// Latency benchmark of the built-in engine. A separate package so that the main
// package keeps no benchmark-only targets; it links the Factorize library product.
let package = Package(
    name: "EngineBench",
    dependencies: [.package(name: "Factorize", path: "../..")],
    targets: [
        .executableTarget(
            name: "engine-bench",
            dependencies: [.product(name: "Factorize", package: "Factorize")],
            path: "Sources/EngineBench"),
    ],
    swiftLanguageModes: [.v5]
)
