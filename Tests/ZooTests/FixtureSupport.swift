import Foundation
import Graph
import LinearAlgebra
import TestSupport
import Zoo

/// FACTORIZE_FULL_TESTS=1 adds the large architectures to the per-export comparisons.
let fullTests = ProcessInfo.processInfo.environment["FACTORIZE_FULL_TESTS"] == "1"

/// A torchvision export under fixtures/torchvision and the zoo model it is compared with.
struct FixtureCase: CustomStringConvertible, Sendable {
    var fixture: String
    var architecture: Architecture
    /// True for exports that kept their BatchNormalization nodes, so the zoo model keeps them too.
    var keepBatchNorm = false

    var description: String { fixture }
    var url: URL? { TestEnvironment.fixture("torchvision/\(fixture).graph.onnx") }
}

let allFixtureCases: [FixtureCase] = [
    FixtureCase(fixture: "resnet18", architecture: .resnet18),
    FixtureCase(fixture: "resnet18-preserve-bn", architecture: .resnet18, keepBatchNorm: true),
    FixtureCase(fixture: "resnet50", architecture: .resnet50),
    FixtureCase(fixture: "resnet152", architecture: .resnet152),
    FixtureCase(fixture: "densenet121", architecture: .densenet121),
    FixtureCase(fixture: "densenet169", architecture: .densenet169),
    FixtureCase(fixture: "densenet201", architecture: .densenet201),
    FixtureCase(fixture: "vgg11_bn", architecture: .vgg11_bn),
    FixtureCase(fixture: "vgg16_bn", architecture: .vgg16_bn),
    FixtureCase(fixture: "vgg19_bn", architecture: .vgg19_bn),
]

/// The cases of the default run; FACTORIZE_FULL_TESTS=1 runs all of them.
let defaultFixtureCases = allFixtureCases.filter {
    fullTests || ["resnet18", "resnet18-preserve-bn", "resnet50", "densenet121", "vgg11_bn"].contains($0.fixture)
}

let fixturesAvailable = TestEnvironment.fixture("torchvision/resnet18.graph.onnx") != nil

/// Loads a fixture and turns each Identity that copies a graph input into a graph input of its own.
/// The exporter shares equal initializers that way (VGG's `classifier.3.bias` is an Identity of
/// `classifier.0.bias`), which hides one weight from a comparison by inputs.
func loadFixture(_ url: URL) throws -> Model {
    var model = try Model.load(from: url)
    let inputTypes = Dictionary(model.graph.inputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    for node in model.graph.nodes where node.opType == "Identity" {
        guard let source = inputTypes[node.inputs[0]] else { continue }
        model.graph.inputs.append(ValueInfo(name: node.outputs[0], elementType: source.elementType, shape: source.shape))
    }
    let copied = Set(model.graph.inputs.map(\.name))
    model.graph.nodes.removeAll { $0.opType == "Identity" && copied.contains($0.outputs[0]) }
    return model
}

/// Shapes of the fixture's weight inputs (every input after the image), sorted.
func weightInputShapes(_ fixture: Model) -> [[Int]] {
    fixture.graph.inputs.dropFirst().map { $0.shape?.knownExtents ?? [] }.sorted { $0.lexicographicallyPrecedes($1) }
}

/// Shapes of the model's initializers, sorted.
func initializerShapes(_ model: Model) -> [[Int]] {
    model.graph.initializers.values.map(\.shape).sorted { $0.lexicographicallyPrecedes($1) }
}

/// One weight input that the fixture names (not an `onnx::` name the exporter made up) differently from
/// the zoo model's weight in the same position.
struct NameMismatch: Equatable {
    var fixtureName: String
    var modelName: String
}

/// Values for the fixture's weight inputs taken from the zoo model's initializers: the k-th Conv, Gemm or
/// BatchNormalization of the fixture gets the weights of the k-th node of that type in the zoo model.
/// Both graphs list nodes in the order of torchvision's forward pass.
func fixtureWeights(fixture: Model, model: Model) -> (weights: [String: Tensor<Float>], nameMismatches: [NameMismatch]) {
    var weights: [String: Tensor<Float>] = [:]
    var mismatches: [NameMismatch] = []
    for opType in ["Conv", "Gemm", "BatchNormalization"] {
        let fixtureNodes = fixture.graph.nodes.filter { $0.opType == opType }
        let modelNodes = model.graph.nodes.filter { $0.opType == opType }
        for (fixtureNode, modelNode) in zip(fixtureNodes, modelNodes) {
            for position in 1..<min(fixtureNode.inputs.count, modelNode.inputs.count) {
                let fixtureName = fixtureNode.inputs[position]
                let modelName = modelNode.inputs[position]
                guard let data = model.graph.initializers[modelName] else { continue }
                weights[fixtureName] = Tensor(shape: data.shape, scalars: data.floats())
                if !fixtureName.hasPrefix("onnx::") && fixtureName != modelName {
                    mismatches.append(NameMismatch(fixtureName: fixtureName, modelName: modelName))
                }
            }
        }
    }
    return (weights, mismatches)
}

/// Draws a [1, 3, height, width] image of uniform values in [-1, 1) from a fixed seed.
func seededImage(height: Int = 224, width: Int = 224, seed: UInt64 = 7) -> Tensor<Float> {
    var generator = SplitMix64(seed: seed)
    let count = 3 * height * width
    return Tensor(shape: [1, 3, height, width], scalars: (0..<count).map { _ in Float(generator.nextUniform(-1, 1)) })
}
