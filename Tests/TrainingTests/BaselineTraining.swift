import Foundation
import Graph
import Testing
import TestSupport
import Training

/// Trains the shipped Fashion-MNIST baseline in two phases (`trainFashionMNISTBaseline`, then
/// `continueFashionMNISTBaseline`) and writes examples/fashion-mnist-resnet18.onnx.
/// Opt-in through FACTORIZE_TRAIN_BASELINE=1 because training 3 748 + 2 811 steps takes 40–150
/// minutes on two shared x86_64 cores (45–220 images/s measured).
/// Checkpoints go to $FACTORIZE_BASELINE_CHECKPOINTS (default .build/baseline-checkpoints), and
/// a rerun resumes from them. Progress lines go to standard output.
@Test(.enabled(if: ProcessInfo.processInfo.environment["FACTORIZE_TRAIN_BASELINE"] == "1", "set FACTORIZE_TRAIN_BASELINE=1 to train the shipped baseline"))
func trainShippedBaseline() throws {
    let environment = ProcessInfo.processInfo.environment
    let directory = try #require(FashionMNISTFixture.directory, "Fashion-MNIST IDX files not found")
    let checkpoints = environment["FACTORIZE_BASELINE_CHECKPOINTS"].map { URL(fileURLWithPath: $0) }
        ?? TestEnvironment.packageRoot.appendingPathComponent(".build/baseline-checkpoints")
    let options = FashionMNISTBaselineOptions(dataDirectory: directory, checkpointDirectory: checkpoints)

    let started = Date()
    let report: (TrainingEvent) -> TrainingControl = { event in
        switch event {
        case .step(let step) where step.step % 50 == 0 || step.batch == step.batchesPerEpoch:
            let elapsed = Int(Date().timeIntervalSince(started))
            print("epoch \(step.epoch + 1) batch \(step.batch)/\(step.batchesPerEpoch) step \(step.step)/\(step.totalSteps) "
                + "loss \(step.loss) lr \(step.learningRate) images/s \(Int(step.imagesPerSecond)) elapsed \(elapsed)s")
        case .epochEnd(let summary):
            print("epoch \(summary.epoch + 1) done: train loss \(summary.trainLoss) train accuracy \(summary.trainAccuracy) "
                + "test accuracy \(summary.validationAccuracy ?? -1)")
        case .checkpoint(let path, let step) where step % 1000 == 0:
            print("checkpoint \(path) at step \(step)")
        default:
            break
        }
        fflush(stdout)
        return .proceed
    }
    let first = try trainFashionMNISTBaseline(options, resume: true, progress: report)
    print("phase 1: test accuracy \(first.testAccuracy), \(Int(Date().timeIntervalSince(started)))s")
    fflush(stdout)
    let continuation = FashionMNISTContinuationOptions(
        checkpointDirectory: checkpoints.appendingPathComponent("continuation"))
    let result = try continueFashionMNISTBaseline(
        first, options: options, continuation: continuation, resume: true, progress: report)
    print("phase 2: test accuracy \(result.testAccuracy), \(Int(Date().timeIntervalSince(started)))s")

    let output = TestEnvironment.packageRoot.appendingPathComponent("examples/fashion-mnist-resnet18.onnx")
    try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
    try result.model.save(to: output)
    let size = try FileManager.default.attributesOfItem(atPath: output.path)[.size] as? Int ?? 0
    print("wrote \(output.path) (\(size) bytes), test accuracy \(result.testAccuracy), \(Int(Date().timeIntervalSince(started)))s")

    // The exported model (BatchNormalization folded) must score what the trained session scored.
    let test = try ImageDataset.fashionMNIST(directory: directory, split: .test)
    let reloaded = try Model.load(from: output)
    let evaluator = try Trainer(model: reloaded, configuration: TrainingConfiguration(epochs: 0))
    let exportedAccuracy = try evaluator.evaluate(test)
    print("exported model test accuracy \(exportedAccuracy)")
    #expect(abs(exportedAccuracy - result.testAccuracy) < 0.002)
    #expect(result.testAccuracy >= 0.92)
    #expect(size <= 12 << 20)
}
