import Factorization
import Foundation
import Graph
import LinearAlgebra
import Runtime
import Testing
import TestSupport

/// The nine torchvision architectures. Compressing and checking all of them with every
/// method takes about 45 minutes on two cores, so by default the suite runs `quickCases` and
/// FACTORIZE_FULL_TESTS=1 runs every pair.
let architectures = ["resnet18", "resnet50", "densenet121", "vgg11_bn", "resnet152", "densenet169", "densenet201", "vgg16_bn", "vgg19_bn"]
let quickCases: Set<String> = [
    "resnet18/tucker2", "resnet18/tt", "resnet18/tr", "resnet18/svd", "resnet18/cp", "resnet18/cp3",
    "densenet121/tucker2", "vgg11_bn/tt",
]
let fullTests = ProcessInfo.processInfo.environment["FACTORIZE_FULL_TESTS"] == "1"

/// Fixture graph with seeded weights, prepared for compression.
func runnableArchitecture(_ name: String) throws -> Model {
    let url = try #require(TestEnvironment.fixture("torchvision/\(name).graph.onnx"))
    return try preparedForCompression(initializeWeights(Model.load(from: url), seed: 11))
}

@Test(
    .enabled(if: TestEnvironment.fixtures != nil, "needs ../shared/fixtures"),
    .enabled(if: OnnxRuntimeOracle.available, "needs onnx and onnxruntime in the oracle venv (make test installs them)"),
    .serialized,
    arguments: architectures, FactorizationMethod.allCases)
func architectureCompressesAndMatchesOnnxRuntime(architecture: String, method: FactorizationMethod) throws {
    guard fullTests || quickCases.contains("\(architecture)/\(method)") else { return }
    let model = try runnableArchitecture(architecture)
    // Two CP-ALS sweeps suffice: the test checks the rewrite, not the fit.
    var options = CompressionOptions(method: method, rankPolicy: .ratio(0.5))
    options.cpMaxIterations = 2
    let measurement = MeasurementOptions(inputShapes: ["input": [1, 3, 224, 224]])
    let (compressed, report) = try compressModel(model, options: options, measurement: measurement)
    #expect(!report.layers.isEmpty)
    #expect(report.parametersAfter < report.parametersBefore)

    let folder = try TestEnvironment.makeTemporaryDirectory("compress-\(architecture)-\(method)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("model.onnx")
    try compressed.save(to: file)
    try OnnxRuntimeOracle.check(modelFile: file)

    let input = Tensor<Float>(shape: [1, 3, 224, 224], scalars: randomValues(3 * 224 * 224, seed: 5))
    let expected = try OnnxRuntimeOracle.run(modelFile: file, inputs: ["input": input])
    let actual = try InferenceSession(model: compressed).run(inputs: ["input": input])
    for (name, reference) in expected {
        let value = try #require(actual[name])
        #expect(maxNormRelativeError(value, reference) <= 1e-4, "output \(name)")
    }
}
