import Foundation
import Graph
import TestSupport

/// Fixture files the Graph tests read, and helpers to load them.
enum FixtureModels {
    static let torchvision = [
        "resnet18", "resnet18-dynamo", "resnet18-preserve-bn", "resnet50", "resnet152",
        "densenet121", "densenet169", "densenet201", "vgg11_bn", "vgg11_bn-dynamo", "vgg16_bn", "vgg19_bn",
    ]
    static let efficientNet = "real/efficientnet-lite0.onnx"

    static func torchvisionPath(_ name: String) -> String { "torchvision/\(name).graph.onnx" }

    static var allPaths: [String] { torchvision.map(torchvisionPath) + [efficientNet] }

    static var available: Bool { TestEnvironment.fixture(efficientNet) != nil }

    static func load(_ relativePath: String) throws -> Model {
        guard let url = TestEnvironment.fixture(relativePath) else { throw MissingFixture(path: relativePath) }
        return try Model.load(from: url)
    }

    static func loadTorchvision(_ name: String) throws -> Model { try load(torchvisionPath(name)) }

    static var pythonWithORT: Bool { TestEnvironment.pythonHasModules(["onnx", "onnxruntime", "numpy"]) }
}

struct MissingFixture: Error, CustomStringConvertible {
    let path: String
    var description: String { "fixture \(path) is missing" }
}
