import Foundation
import TestSupport
import Testing

@testable import FactorizeCLI

private let fashionMNISTDirectory = ProcessInfo.processInfo.environment["FACTORIZE_FASHION_MNIST"]
    ?? "/usr/share/datasets/fashion-mnist"
private let shippedModel = TestEnvironment.packageRoot.appendingPathComponent("examples/fashion-mnist-resnet18.onnx")
private let canTrain = FileManager.default.fileExists(atPath: shippedModel.path)
    && FileManager.default.fileExists(atPath: fashionMNISTDirectory)

@Test func finetuneWithoutDatasetIsAUsageError() {
    let (status, _, err) = runCapturing(["finetune", "model.onnx", "-o", "out.onnx"])
    #expect(status == 64)
    #expect(err.contains("--dataset"), "\(err)")
}

@Test func finetuneNamesAnUnknownDataset() {
    let (status, _, err) = runCapturing(["finetune", "model.onnx", "-o", "out.onnx", "--dataset", "imagenet"])
    #expect(status == 64)
    #expect(err.contains("'imagenet'"), "\(err)")
}

@Test func finetuneNamesAnUnknownOptimizer() {
    let (status, _, err) = runCapturing([
        "finetune", "model.onnx", "-o", "out.onnx", "--dataset", "fashion-mnist", "--optimizer", "lamb",
    ])
    #expect(status == 64)
    #expect(err.contains("'lamb'"), "\(err)")
    #expect(err.contains("--optimizer"), "\(err)")
}

@Test func finetuneRejectsAlphaOutsideTheUnitInterval() {
    let (status, _, err) = runCapturing([
        "finetune", "model.onnx", "-o", "out.onnx", "--dataset", "fashion-mnist", "--teacher", "t.onnx", "--alpha", "1.5",
    ])
    #expect(status == 64)
    #expect(err.contains("'1.5'"), "\(err)")
    #expect(err.contains("--alpha"), "\(err)")
}

@Test func finetuneRejectsDistillationOptionsWithoutTeacher() {
    let (status, _, err) = runCapturing([
        "finetune", "model.onnx", "-o", "out.onnx", "--dataset", "fashion-mnist", "--temperature", "2",
    ])
    #expect(status == 64)
    #expect(err.contains("--teacher"), "\(err)")
}

@Test func trainNamesAnUnknownArchitecture() {
    let (status, _, err) = runCapturing(["train", "vgg16", "-o", "out.onnx", "--dataset", "fashion-mnist"])
    #expect(status == 64)
    #expect(err.contains("'vgg16'"), "\(err)")
    #expect(err.contains("resnet18-fmnist"), "\(err)")
}

@Test func trainRejectsZeroEpochs() {
    let (status, _, err) = runCapturing(["train", "resnet18-fmnist", "-o", "out.onnx", "--dataset", "fashion-mnist", "--epochs", "0"])
    #expect(status == 64)
    #expect(err.contains("'0'"), "\(err)")
    #expect(err.contains("--epochs"), "\(err)")
}

@Test func finetuneAndTrainHaveHelp() {
    for command in ["finetune", "train"] {
        let (status, out, _) = runCapturing([command, "--help"])
        #expect(status == 0)
        #expect(out.contains("--epochs"), "\(command): \(out)")
        #expect(out.contains("--dataset"), "\(command): \(out)")
    }
}

/// Compresses the shipped baseline, fine-tunes it with distillation on 128 images for one epoch,
/// and evaluates the written model on the built-in engine: it must run and score what the
/// fine-tuning run measured on the same 100 test images.
@Test(.enabled(if: canTrain, "needs examples/fashion-mnist-resnet18.onnx and the Fashion-MNIST IDX files"))
func finetunedCompressedModelRunsOnTheEngine() throws {
    let folder = try TestEnvironment.makeTemporaryDirectory("factorize-finetune")
    let compressed = folder.appendingPathComponent("compressed.onnx")
    let tuned = folder.appendingPathComponent("tuned.onnx")
    let (compressStatus, _, compressErr) = runCapturing([
        "compress", shippedModel.path, "-o", compressed.path, "--method", "tucker2", "--ratio", "0.5", "--threads", "1",
    ])
    try #require(compressStatus == 0, "\(compressErr)")

    let (status, out, err) = runCapturing([
        "finetune", compressed.path, "-o", tuned.path, "--dataset", "fashion-mnist:\(fashionMNISTDirectory)",
        "--teacher", shippedModel.path, "--train-subset", "128", "--eval-subset", "100", "--batch-size", "32",
        "--epochs", "1", "--lr", "0.001", "--threads", "1", "--json",
    ])
    try #require(status == 0, "\(err)")
    let report = try jsonObject(out)
    #expect(report["steps"] as? Int == 4)
    #expect(err.contains("epoch 1/1"), "\(err)")
    let after = try #require(report["accuracy_after"] as? Double)

    let (evalStatus, evalOut, evalErr) = runCapturing([
        "eval", tuned.path, "--dataset", "fashion-mnist:\(fashionMNISTDirectory)", "--limit", "100", "--json", "--threads", "1",
    ])
    try #require(evalStatus == 0, "\(evalErr)")
    let top1 = try #require(try jsonObject(evalOut)["top1"] as? Double)
    // Both engines compute in float32 with different summation orders: one image may flip.
    #expect(abs(top1 - after) <= 0.01, "engine \(top1), training \(after)")
}

/// Fine-tunes a tucker2 copy (ratio 0.5) of the shipped baseline with the original as teacher on
/// the first 4 000 training images. On the first 1 000 test images it must gain at least 25
/// points and come within 6 points of the original. A full epoch brings it within 1 point.
@Test(.enabled(if: canTrain, "needs examples/fashion-mnist-resnet18.onnx and the Fashion-MNIST IDX files"))
func tucker2FineTuneApproachesOriginal() throws {
    let folder = try TestEnvironment.makeTemporaryDirectory("factorize-finetune-subset")
    defer { try? FileManager.default.removeItem(at: folder) }
    let compressed = folder.appendingPathComponent("compressed.onnx")
    let (compressStatus, _, compressErr) = runCapturing([
        "compress", shippedModel.path, "-o", compressed.path, "--method", "tucker2", "--ratio", "0.5", "--threads", "1",
    ])
    try #require(compressStatus == 0, "\(compressErr)")

    let dataset = "fashion-mnist:\(fashionMNISTDirectory)"
    let (status, out, err) = runCapturing([
        "finetune", compressed.path, "-o", folder.appendingPathComponent("tuned.onnx").path, "--dataset", dataset,
        "--teacher", shippedModel.path, "--train-subset", "4000", "--eval-subset", "1000", "--threads", "1", "--json",
    ])
    try #require(status == 0, "\(err)")
    let report = try jsonObject(out)
    let before = try #require(report["accuracy_before"] as? Double)
    let after = try #require(report["accuracy_after"] as? Double)

    let (evalStatus, evalOut, evalErr) = runCapturing([
        "eval", shippedModel.path, "--dataset", dataset, "--limit", "1000", "--json", "--threads", "1",
    ])
    try #require(evalStatus == 0, "\(evalErr)")
    let original = try #require(try jsonObject(evalOut)["top1"] as? Double)
    #expect(after >= before + 0.25, "before \(before), after \(after)")
    #expect(after >= original - 0.06, "original \(original), after \(after)")
}
