import Foundation
import Graph
import Study
import TestSupport
import Testing

private let fashionMNIST = URL(fileURLWithPath: ProcessInfo.processInfo.environment["FACTORIZE_FASHION_MNIST"]
    ?? "/usr/share/datasets/fashion-mnist")
private let shippedModel = TestEnvironment.packageRoot.appendingPathComponent("examples/fashion-mnist-resnet18.onnx")

/// Runs the engine's fine-tuning for two distillation steps on the shipped baseline and checks
/// the written model and the reported counts.
@Test(.enabled(
    if: FileManager.default.fileExists(atPath: shippedModel.path) && FileManager.default.fileExists(atPath: fashionMNIST.path),
    "needs examples/fashion-mnist-resnet18.onnx and the Fashion-MNIST IDX files"))
func engineFineTuneWritesFinetunedModel() throws {
    let output = try TestEnvironment.makeTemporaryDirectory("study-finetune").appendingPathComponent("tuned.onnx")
    let engine = StudyEngine(configuration: .init(toolVersion: "test"))
    let request = FineTuneRequest(
        model: "resnet18", input: shippedModel, teacher: shippedModel,
        dataset: DatasetSpec(kind: "fashion-mnist", path: fashionMNIST),
        settings: FineTuneSpec(
            maxSteps: 2, batch: 16, learningRate: 0.001, optimizer: "adam", momentum: 0.9, weightDecay: 0,
            trainLimit: 256, seed: 0, distillation: DistillationSpec(temperature: 4, alpha: 0.9)),
        threads: 1, output: output)

    let outcome = try engine.fineTune(request)

    #expect(outcome.unavailable == nil)
    #expect(outcome.metrics.steps == 2)
    #expect(outcome.metrics.finalLoss != nil)
    let written = try Model.load(from: output)
    #expect(written.metadata.contains { $0.key == "factorize.state" && $0.value == "finetuned" })
    #expect(written.metadata.contains { $0.key == "factorize.input.mean" })
    #expect(!written.graph.nodes.contains { $0.opType == "BatchNormalization" })
}
