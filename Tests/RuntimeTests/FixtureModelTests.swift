import Foundation
import Graph
import LinearAlgebra
import Runtime
import TestSupport
import Testing

/// Runnable models from the fixtures: torchvision graphs get seeded random weights.
enum FixtureModel {
    static let torchvision = [
        "resnet18", "resnet50", "resnet152", "densenet121", "densenet169", "densenet201",
        "vgg11_bn", "vgg16_bn", "vgg19_bn", "resnet18-dynamo", "vgg11_bn-dynamo", "resnet18-preserve-bn",
    ]
    static let efficientNet = "real/efficientnet-lite0.onnx"

    static var available: Bool {
        TestEnvironment.fixture("torchvision/resnet18.graph.onnx") != nil && TestEnvironment.fixture(efficientNet) != nil
    }

    static func load(_ name: String) throws -> Model {
        if name == efficientNet { return try Model.load(from: try #require(TestEnvironment.fixture(efficientNet))) }
        let url = try #require(TestEnvironment.fixture("torchvision/\(name).graph.onnx"))
        return try initializeWeights(try Model.load(from: url), seed: 7)
    }

    /// The model with a symbolic leading axis on its inputs and outputs, so ONNX Runtime accepts any batch size.
    static func withSymbolicBatch(_ model: Model) -> Model {
        var result = model
        for index in result.graph.inputs.indices {
            if var shape = result.graph.inputs[index].shape, !shape.isEmpty {
                shape[0] = .symbolic("batch")
                result.graph.inputs[index].shape = shape
            }
        }
        for index in result.graph.outputs.indices {
            if var shape = result.graph.outputs[index].shape, !shape.isEmpty {
                shape[0] = .symbolic("batch")
                result.graph.outputs[index].shape = shape
            }
        }
        return result
    }
}

@Suite(
    .enabled(if: Oracle.available, "needs the oracle Python with onnx, onnxruntime and numpy (set FACTORIZE_PYTHON)"),
    .enabled(if: FixtureModel.available, "needs the torchvision and EfficientNet-Lite0 fixtures"))
struct FixtureModelTests {
    @Test(arguments: FixtureModel.torchvision + [FixtureModel.efficientNet])
    func modelMatchesORT(_ name: String) throws {
        let model = try FixtureModel.load(name)
        try expectMatchesORT(model, batch: 1, optimize: true)
    }

    @Test(arguments: ["resnet18-preserve-bn", "densenet121", "vgg11_bn", FixtureModel.efficientNet])
    func unoptimizedModelMatchesORT(_ name: String) throws {
        let model = try FixtureModel.load(name)
        try expectMatchesORT(model, batch: 1, optimize: false)
    }

    // EfficientNet-Lite0 reshapes to a fixed batch of 1 before its classifier, so it runs at batch 1 only.
    @Test(arguments: ["resnet18", "densenet121", "vgg11_bn"])
    func batchOfTwoMatchesORT(_ name: String) throws {
        let model = FixtureModel.withSymbolicBatch(try FixtureModel.load(name))
        try expectMatchesORT(model, batch: 2, optimize: true)
    }

    private func expectMatchesORT(_ model: Model, batch: Int, optimize: Bool) throws {
        let input = try #require(model.graph.inputs.first)
        let feeds = ["\(input.name)": randomTensor([batch, 3, 224, 224], seed: 5)]
        let expected = try Oracle.run(model: model, inputs: feeds)
        let session = try InferenceSession(model: model, options: InferenceOptions(optimize: optimize))
        let actual = try session.run(inputs: feeds)
        for output in model.graph.outputs {
            let reference = try #require(expected[output.name])
            let value = try #require(actual[output.name])
            #expect(value.shape == reference.shape, "\(model.graph.name) output \(output.name)")
            #expect(relativeError(value, reference) <= 1e-4, "\(model.graph.name) output \(output.name)")
        }
    }
}
