import Foundation
import Graph
import LinearAlgebra
import TestSupport
import Testing
import Zoo

/// The zoo model and the torchvision export, given the same weights and image, must produce the same
/// logits on ONNX Runtime.
@Suite(.serialized, .enabled(if: fixturesAvailable && OnnxRuntimeOracle.available, "needs fixtures/torchvision and Python with onnxruntime"))
struct OracleTests {
    @Test(arguments: defaultFixtureCases)
    func logitsMatchExportOnOnnxRuntime(_ testCase: FixtureCase) throws {
        let fixtureURL = try #require(testCase.url)
        let fixture = try loadFixture(fixtureURL)
        let model = try testCase.architecture.buildModel(
            weights: .random(seed: 3), options: ZooOptions(keepBatchNorm: testCase.keepBatchNorm))
        let (weights, _) = fixtureWeights(fixture: fixture, model: model)
        let image = seededImage()

        let folder = try TestEnvironment.makeTemporaryDirectory("zoo-oracle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let modelURL = folder.appendingPathComponent("model.onnx")
        let fixtureCopyURL = folder.appendingPathComponent("fixture.onnx")
        try model.save(to: modelURL)
        try fixture.save(to: fixtureCopyURL)

        let expected = try #require(try OnnxRuntimeOracle.run(modelFile: fixtureCopyURL, inputs: weights.merging(["input": image]) { $1 })["logits"])
        let actual = try #require(try OnnxRuntimeOracle.run(modelFile: modelURL, inputs: ["input": image])["logits"])

        #expect(actual.shape == [1, 1000])
        #expect(maxNormRelativeError(actual, expected) < 1e-4)
    }
}
