import Foundation
import Graph
import LinearAlgebra
import Runtime
import TestSupport
import Testing
import Zoo

/// Learnable parameter counts that the torchvision model documentation lists as `num_params` for the ImageNet weights.
@Test(arguments: [
    (Architecture.resnet18, 11_689_512), (.resnet50, 25_557_032), (.resnet152, 60_192_808),
    (.densenet121, 7_978_856), (.densenet169, 14_149_480), (.densenet201, 20_013_928),
    (.vgg11_bn, 132_868_840), (.vgg16_bn, 138_365_992), (.vgg19_bn, 143_678_248),
])
func parameterCountMatchesTorchvision(_ architecture: Architecture, _ expected: Int) throws {
    #expect(try architecture.parameterCount() == expected)
}

@Test func classCountChangesHeadShape() throws {
    let model = try Architecture.resnet18.buildModel(weights: .random(seed: 1), options: ZooOptions(classes: 10))

    #expect(model.graph.initializers["fc.weight"]?.shape == [10, 512])
    #expect(model.graph.initializers["fc.bias"]?.shape == [10])
    #expect(model.graph.outputs.first?.shape == [.symbolic("batch"), .known(10)])
}

@Test func classCountChangesVGGHead() throws {
    let specs = try Architecture.vgg11_bn.parameterSpecs(options: ZooOptions(classes: 10))
    #expect(specs.first { $0.name == "classifier.6.weight" }?.shape == [10, 4096])
    #expect(specs.first { $0.name == "classifier.6.bias" }?.shape == [10])
}

@Test func foldingRemovesConvBatchNorms() throws {
    let folded = try Architecture.resnet18.buildModel(weights: .random(seed: 1))
    let unfolded = try Architecture.resnet18.buildModel(weights: .random(seed: 1), options: ZooOptions(keepBatchNorm: true))

    #expect(folded.graph.nodes.filter { $0.opType == "BatchNormalization" }.isEmpty)
    #expect(unfolded.graph.nodes.filter { $0.opType == "BatchNormalization" }.count == 20)
    #expect(folded.graph.initializers["layer1.0.conv1.bias"]?.shape == [64])
}

@Test func denseNetKeepsPreActivationBatchNorms() throws {
    let folded = try Architecture.densenet121.buildModel(weights: .random(seed: 1))
    let batchNorms = folded.graph.nodes.filter { $0.opType == "BatchNormalization" }

    // 58 norm1, 3 transition norms and norm5 stay; norm0 and the 58 norm2 follow a Conv and are folded.
    #expect(batchNorms.count == 62)
    #expect(folded.graph.initializers["features.norm5.running_var"] != nil)
    #expect(folded.graph.initializers["features.denseblock1.denselayer1.norm2.weight"] == nil)
}

@Test func modelDeclaresOpsetAndFreeBatch() throws {
    let model = try Architecture.densenet121.structureModel()
    #expect(model.opsetVersion == 17)
    #expect(model.graph.inputs.first == ValueInfo(name: "input", elementType: .float, shape: [.symbolic("batch"), .known(3), .known(224), .known(224)]))
    #expect(model.graph.outputs.map(\.name) == ["logits"])
    try model.graph.validate(opset: 17)
}

@Test func inputSmallerThan32IsRejected() {
    #expect(throws: ZooError.invalidInputSize(height: 31, width: 224, reason: "height and width must be 32 or more")) {
        try Architecture.resnet18.parameterSpecs(options: ZooOptions(inputHeight: 31))
    }
}

@Test func classCountBelowOneIsRejected() {
    #expect(throws: ZooError.invalidClassCount(0)) {
        try Architecture.densenet121.parameterSpecs(options: ZooOptions(classes: 0))
    }
}

@Test(arguments: [(224, 224, [1, 1]), (255, 224, [1, 1]), (448, 448, [2, 2]), (448, 224, [2, 1])])
func vggPoolsToSevenBySeven(_ height: Int, _ width: Int, _ kernel: [Int]) throws {
    let model = try Architecture.vgg11_bn.structureModel(options: ZooOptions(inputHeight: height, inputWidth: width))
    let pool = try #require(model.graph.nodes.first { $0.name == "avgpool" })
    #expect(pool.ints("kernel_shape") == kernel)
    #expect(pool.ints("strides") == kernel)
}

@Test(arguments: [32, 256, 320])
func vggRejectsSizesWithoutPlainPooling(_ size: Int) throws {
    do {
        _ = try Architecture.vgg16_bn.parameterSpecs(options: ZooOptions(inputHeight: size, inputWidth: size))
        Issue.record("expected invalidInputSize for \(size)x\(size)")
    } catch let error as ZooError {
        guard case .invalidInputSize(let height, let width, let reason) = error else {
            Issue.record("unexpected error \(error)")
            return
        }
        #expect(height == size)
        #expect(width == size)
        #expect(reason.contains("multiples of 7"))
    }
}

/// A 10-class ResNet-18 passes onnx.checker and, on a 2×3×64×48 batch, gives the same logits on the built-in engine as on ONNX Runtime.
@Test(.enabled(if: OnnxRuntimeOracle.available, "needs Python with onnxruntime"))
func smallInputBatchRunsOnBothEngines() throws {
    let options = ZooOptions(classes: 10, inputHeight: 64, inputWidth: 48)
    let model = try Architecture.resnet18.buildModel(weights: .random(seed: 9), options: options)
    var generator = SplitMix64(seed: 11)
    let image = Tensor<Float>(shape: [2, 3, 64, 48], scalars: (0..<(2 * 3 * 64 * 48)).map { _ in Float(generator.nextUniform(-1, 1)) })

    let folder = try TestEnvironment.makeTemporaryDirectory("zoo-small")
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("resnet18.onnx")
    try model.save(to: url)
    try OnnxRuntimeOracle.check(modelFile: url)

    let expected = try #require(try OnnxRuntimeOracle.run(modelFile: url, inputs: ["input": image])["logits"])
    let actual = try #require(try InferenceSession(model: model).run(inputs: ["input": image])["logits"])
    #expect(expected.shape == [2, 10])
    #expect(maxNormRelativeError(actual, expected) < 1e-4)
}
