import Factorization
import Foundation
import Graph
import LinearAlgebra
import Runtime
import TestSupport
import Testing

private let perGroup = LayerSelection(includeFirstConvolution: true, includeClassifier: true, perGroup: true)

/// Returns a model of one 3×3 convolution with 3 groups of 4 → 6 channels, stride (2, 1) and asymmetric pads.
private func groupedModel(kernel: (Int, Int) = (3, 3)) -> Model {
    let pads = kernel == (1, 1) ? [0, 0, 0, 0] : [0, 1, 1, 0]
    return convolutionModel(
        outChannels: 18, inChannels: 12, kernel: kernel, strides: [2, 1], pads: pads, group: 3, spatial: (9, 8))
}

@Test(arguments: [FactorizationMethod.tucker2, .tt, .tr])
func groupedConvExactAtFullRank(method: FactorizationMethod) throws {
    let model = groupedModel()
    let options = CompressionOptions(method: method, rankPolicy: .fixed(10_000), selection: perGroup)
    let (compressed, report) = try compressModel(model, options: options)
    #expect(report.layers.map(\.layer) == ["conv"])
    #expect(try relativeOutputError(model, compressed) <= 1e-4)
}

@Test func groupedPointwiseConvExactAtFullRank() throws {
    let model = groupedModel(kernel: (1, 1))
    let options = CompressionOptions(method: .svd, rankPolicy: .fixed(10_000), selection: perGroup)
    let (compressed, report) = try compressModel(model, options: options)
    #expect(report.layers.map(\.layer) == ["conv"])
    #expect(try relativeOutputError(model, compressed) <= 1e-4)
}

@Test func groupedFactorsKeepTheGroups() throws {
    let options = CompressionOptions(method: .tucker2, rankPolicy: .fixed(2), selection: perGroup)
    let (compressed, report) = try compressModel(groupedModel(), options: options)
    let groups = compressed.graph.nodes.map { $0.int("group", default: 1) }
    #expect(groups == [3, 3, 3])
    #expect(report.layers.first?.ranks == [2, 2])
    // Each group: 4→2 (8), 2→2 3×3 (36), 2→6 (12) plus 6 biases.
    #expect(report.layers.first?.parametersAfter == 3 * (8 + 36 + 12 + 6))
}

@Test func groupedConvLeftUnchangedWithoutPerGroup() throws {
    let options = CompressionOptions(method: .tucker2, rankPolicy: .fixed(2), selection: everyLayer)
    let (_, report) = try compressModel(groupedModel(), options: options)
    #expect(report.layers.isEmpty)
    #expect(report.skipped.first?.reason.contains("--per-group") == true)
}

@Test func depthwiseConvLeftUnchangedWithPerGroup() throws {
    let model = convolutionModel(outChannels: 6, inChannels: 6, kernel: (3, 3), pads: [1, 1, 1, 1], group: 6)
    let options = CompressionOptions(method: .tucker2, rankPolicy: .fixed(2), selection: perGroup)
    let (_, report) = try compressModel(model, options: options)
    #expect(report.layers.isEmpty)
    #expect(report.skipped.first?.reason.contains("depthwise") == true)
}

/// The merged chain is standard ONNX: it passes onnx.checker and ONNX Runtime computes what the
/// built-in engine computes. Tensor ring gives the most groups (3 groups × ring rank).
@Test(.enabled(if: OnnxRuntimeOracle.available, "needs onnx and onnxruntime in the oracle venv (make test installs them)"))
func groupedRingChainRunsInOnnxRuntime() throws {
    let options = CompressionOptions(method: .tr, rankPolicy: .fixed(2), selection: perGroup)
    var (compressed, _) = try compressModel(groupedModel(), options: options)
    // onnx.checker requires declared output shapes: 9×8 → 4×7 with stride (2, 1), pads [0, 1, 1, 0].
    compressed.graph.outputs = [ValueInfo(name: "y", elementType: .float, shape: [1, 18, 4, 7].map { .known($0) })]
    let folder = try TestEnvironment.makeTemporaryDirectory("grouped-tr")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("model.onnx")
    try compressed.save(to: file)
    try OnnxRuntimeOracle.check(modelFile: file)

    let input = Tensor<Float>(shape: [1, 12, 9, 8], scalars: randomValues(12 * 9 * 8, seed: 5))
    let expected = try #require(try OnnxRuntimeOracle.run(modelFile: file, inputs: ["x": input])["y"])
    let actual = try #require(try InferenceSession(model: compressed).run(inputs: ["x": input])["y"])
    #expect(maxNormRelativeError(actual, expected) <= 1e-4)
    #expect(compressed.graph.nodes.contains { $0.int("group", default: 1) == 6 })
}
