import Backends
import Factorization
import Foundation
import Graph
import LinearAlgebra
import Study
import TestSupport
import Testing

@Test func studyPoliciesMapToTheDecompositionLibrarysPolicies() {
    #expect(StudyEngine.factorizationPolicy(.ratio(0.25)) == .ratio(0.25))
    #expect(StudyEngine.factorizationPolicy(.energy(0.9)) == .energy(0.9))
    #expect(StudyEngine.factorizationPolicy(.fixed(16)) == .fixed(16))
    #expect(StudyEngine.factorizationPolicy(.evbmf) == .vbmf)
}

@Test func benchmarkMetricsCountSamplesPerSecond() {
    let result = BenchmarkResult(
        runtime: "builtin", latencyMilliseconds: Backends.LatencyStatistics(samples: [1, 2, 3]), throughputPerSecond: 100,
        peakMemoryBytes: 42, modelBytes: 7, batchSize: 8)
    let metrics = Metrics(benchmark: result)
    #expect(metrics.throughputPerS == 800)
    #expect(metrics.latencyMs?.median == 2)
    #expect(metrics.peakMemoryBytes == 42)
    #expect(metrics.sizeBytes == 7)
}

@Test func benchmarkMetricsDropIncompleteLatency() {
    let result = BenchmarkResult(runtime: "tensorrt", latencyMilliseconds: Backends.LatencyStatistics(p99: 3))
    #expect(Metrics(benchmark: result).latencyMs == nil)
}

@Test func unavailableBenchmarkBecomesUnavailableOutcome() {
    let outcome = ActionOutcome(benchmark: .unavailable(runtime: "tensorrt", reason: "trtexec not found"))
    #expect(outcome.unavailable == "trtexec not found")
}

@Test func fineTuningOtherThanIDXFilesIsUnavailable() throws {
    let engine = StudyEngine(configuration: .init(toolVersion: "test"))
    let url = URL(fileURLWithPath: "/nonexistent/model.onnx")
    let request = FineTuneRequest(
        model: "m", input: url, teacher: url, dataset: DatasetSpec(kind: "npy", path: url),
        settings: FineTuneSpec(
            maxSteps: 1, batch: 1, learningRate: 0.1, optimizer: "sgd", momentum: 0, weightDecay: 0, seed: 0),
        threads: 1, output: url)
    #expect(try engine.fineTune(request).unavailable == "fine-tuning reads Fashion-MNIST or MNIST IDX files, not npy")
}

@Test func inputNormalizationReadsModelMetadata() throws {
    let model = Model(
        graph: Graph(), metadata: [("factorize.input.mean", "0.5"), ("factorize.input.std", "0.25")])
    let normalization = try InputNormalization(metadataOf: model, name: "m.onnx")
    let images = Tensor<Float>(shape: [1, 1, 1, 2], scalars: [0, 1])
    #expect(normalization.apply(toUnitPixels: images).scalars == [-2, 2])
}

@Test func inputNormalizationRejectsNonNumericMetadataNamingIt() {
    let model = Model(graph: Graph(), metadata: [("factorize.input.std", "wide")])
    #expect(throws: EvaluationError.invalidMetadata(model: "m.onnx", key: "factorize.input.std", value: "wide")) {
        try InputNormalization(metadataOf: model, name: "m.onnx")
    }
}

@Test func unknownDatasetKindHasNoEvaluationSource() {
    #expect(throws: EvaluationError.unsupportedDataset(kind: "cifar", path: "/data")) {
        try EvaluationSource(DatasetSpec(kind: "cifar", path: URL(fileURLWithPath: "/data")))
    }
}

@Test(.enabled(if: TestEnvironment.fixture("real/efficientnet-lite0.onnx") != nil, "EfficientNet-Lite0 fixture missing"))
func engineStatisticsAgreeWithGraphStatistics() throws {
    let url = try #require(TestEnvironment.fixture("real/efficientnet-lite0.onnx"))
    let statistics = try StudyEngine(configuration: .init(toolVersion: "test")).inspectModel(at: url)
    #expect(statistics.macs == (try layerStatistics(Model.load(from: url)).totalMACs))
}
