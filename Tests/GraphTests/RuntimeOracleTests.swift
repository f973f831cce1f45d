import Foundation
import Graph
import Testing
import TestSupport

/// Passes that rewrite arithmetic, checked by running the model before and after
/// the pass in ONNX Runtime (graph optimizations off) on one random input.
@Suite("Passes against ONNX Runtime")
struct RuntimeOracleTests {
    static let enabled = FixtureModels.available && FixtureModels.pythonWithORT

    /// Runs both models on the same standard-normal input and returns max|a − b| / max|a| over the first output.
    func relativeDifference(_ reference: Model, _ rewritten: Model) throws -> Double {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let referenceURL = folder.appendingPathComponent("reference.onnx")
        let rewrittenURL = folder.appendingPathComponent("rewritten.onnx")
        try reference.save(to: referenceURL)
        try rewritten.save(to: rewrittenURL)

        let script = """
            import sys, numpy as np, onnxruntime as ort
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            outputs = []
            for path in sys.argv[1:3]:
                session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
                feed = session.get_inputs()[0]
                data = np.random.default_rng(0).standard_normal([1, 3, 224, 224]).astype(np.float32)
                outputs.append(session.run(None, {feed.name: data})[0].astype(np.float64))
            print(np.abs(outputs[0] - outputs[1]).max() / np.abs(outputs[0]).max())
            """
        let output = try TestEnvironment.runPython(["-c", script, referenceURL.path, rewrittenURL.path])
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(Double(text), "python printed \(text)")
    }

    @Test("BatchNorm folding keeps resnet18 outputs", .enabled(if: enabled, "fixtures or Python with onnxruntime missing"))
    func batchNormFolding() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("resnet18-preserve-bn"), seed: 11)
        let folded = try foldBatchNormalization(model)
        #expect(!folded.graph.nodes.contains { $0.opType == "BatchNormalization" })
        #expect(try relativeDifference(model, folded) <= 1e-4)
    }

    @Test("optimize keeps EfficientNet outputs", .enabled(if: enabled, "fixtures or Python with onnxruntime missing"))
    func efficientNet() throws {
        let model = try FixtureModels.load(FixtureModels.efficientNet)
        #expect(try relativeDifference(model, try optimize(model)) <= 1e-5)
    }

    @Test("optimize keeps densenet121 outputs", .enabled(if: enabled, "fixtures or Python with onnxruntime missing"))
    func denseNet() throws {
        let model = try initializeWeights(try FixtureModels.loadTorchvision("densenet121"), seed: 12)
        #expect(try relativeDifference(model, try optimize(model)) <= 1e-4)
    }
}
