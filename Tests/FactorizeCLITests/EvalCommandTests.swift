import Datasets
import Foundation
import LinearAlgebra
import TestSupport
import Testing

@testable import FactorizeCLI

/// Writes images [N, 10, 1, 1] whose scores rank `labels[i]` at position `ranks[i]` (0 = first),
/// and the labels, as .npy files; returns their paths.
private func rankedScores(labels: [Int], ranks: [Int]) throws -> (images: URL, labels: URL) {
    let folder = try TestEnvironment.makeTemporaryDirectory("factorize-eval")
    var scalars: [Float] = []
    for (label, rank) in zip(labels, ranks) {
        // Class c scores 10 - position, where the label takes position `rank` and the others
        // fill the remaining positions in class order.
        var order = (0..<10).filter { $0 != label }
        order.insert(label, at: rank)
        var row = [Float](repeating: 0, count: 10)
        for (position, classIndex) in order.enumerated() { row[classIndex] = Float(10 - position) }
        scalars += row
    }
    let images = folder.appendingPathComponent("images.npy")
    let labelsFile = folder.appendingPathComponent("labels.npy")
    try NpyFile.write(Tensor(shape: [labels.count, 10, 1, 1], scalars: scalars), to: images)
    try NpyFile.write(Tensor<Double>(shape: [labels.count], scalars: labels.map(Double.init)), to: labelsFile)
    return (images, labelsFile)
}

@Test func evalCountsTopOneAndTopFiveHitsExactly() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    // Ranks 0, 0, 2, 4, 5, 9: two top-1 hits, four top-5 hits out of six.
    let data = try rankedScores(labels: [0, 3, 5, 7, 9, 1], ranks: [0, 0, 2, 4, 5, 9])
    let (status, out, err) = runCapturing([
        "eval", model.path, "--dataset", "npy:\(data.images.path)", "--labels-npy", data.labels.path, "--json",
        "--batch-size", "4",
    ])
    #expect(status == 0, "\(err)")
    let object = try jsonObject(out)
    #expect(object["samples"] as? Int == 6)
    #expect(object["top1"] as? Double == 2.0 / 6)
    #expect(object["top5"] as? Double == 4.0 / 6)
}

@Test func evalReportsPerClassAccuracy() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    let data = try rankedScores(labels: [2, 2, 2, 4], ranks: [0, 1, 0, 3])
    let (_, out, _) = runCapturing([
        "eval", model.path, "--dataset", "npy:\(data.images.path)", "--labels-npy", data.labels.path, "--json",
    ])
    let perClass = try #require(try jsonObject(out)["per_class"] as? [[String: Any]])
    let classTwo = try #require(perClass.first { $0["label"] as? Int == 2 })
    #expect(classTwo["samples"] as? Int == 3)
    #expect(classTwo["correct"] as? Int == 2)
    let classFour = try #require(perClass.first { $0["label"] as? Int == 4 })
    #expect(classFour["correct"] as? Int == 0)
}

@Test func evalAgainstItselfAgreesFullyWithZeroDivergence() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    let data = try rankedScores(labels: [0, 1, 2], ranks: [3, 0, 1])
    let (status, out, _) = runCapturing([
        "eval", model.path, "--dataset", "npy:\(data.images.path)", "--labels-npy", data.labels.path, "--json",
        "--reference", model.path,
    ])
    #expect(status == 0)
    let object = try jsonObject(out)
    #expect(object["reference_top1_agreement"] as? Double == 1)
    #expect(object["reference_mean_kl_divergence"] as? Double == 0)
}

@Test func evalRejectsUnknownDatasetNamingIt() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    let (status, _, err) = runCapturing(["eval", model.path, "--dataset", "cifar10"])
    #expect(status == 64)
    #expect(err.contains("'cifar10'"))
}

@Test func evalNeedsLabelsForNpyImages() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    let (status, _, err) = runCapturing(["eval", model.path, "--dataset", "npy:/tmp/x.npy"])
    #expect(status == 64)
    #expect(err.contains("--labels-npy"))
}

@Test func evalRejectsZeroLimit() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    let (status, _, err) = runCapturing(["eval", model.path, "--dataset", "fashion-mnist", "--limit", "0"])
    #expect(status == 64)
    #expect(err.contains("'0'"))
    #expect(err.contains("--limit"))
}

@Test(.enabled(if: fashionMNISTAvailable, "Fashion-MNIST not installed (apt package dataset-fashion-mnist)"))
func evalRunsTwoHundredFashionMNISTImages() throws {
    let model = try savedModel(tinyClassifier())
    let (status, out, err) = runCapturing(["eval", model.path, "--dataset", "fashion-mnist", "--limit", "200", "--json"])
    #expect(status == 0, "\(err)")
    let object = try jsonObject(out)
    #expect(object["samples"] as? Int == 200)
    let top1 = try #require(object["top1"] as? Double)
    let top5 = try #require(object["top5"] as? Double)
    #expect(top1 >= 0)
    #expect(top1 <= top5)
    #expect(top5 <= 1)
    let perClass = try #require(object["per_class"] as? [[String: Any]])
    #expect(perClass.compactMap { $0["samples"] as? Int }.reduce(0, +) == 200)
}

@Test(.enabled(if: fashionMNISTAvailable, "Fashion-MNIST not installed (apt package dataset-fashion-mnist)"))
func evalRejectsModelWithoutGrayscaleInput() throws {
    let model = try savedModel(passThroughClassifier(), name: "scores.onnx")
    let (status, _, err) = runCapturing(["eval", model.path, "--dataset", "fashion-mnist", "--limit", "10"])
    #expect(status == 1)
    #expect(err.contains("[N, 1, 28, 28]"))
}

@Test func evalRejectsMeanWithoutThreeChannelsNamingIt() throws {
    let (status, _, err) = runCapturing(["eval", "model.onnx", "--dataset", "imagefolder:/tmp", "--mean", "0.5,0.5"])
    #expect(status == 64)
    #expect(err.contains("'0.5,0.5'"))
}

@Test(.enabled(
    if: fashionMNISTAvailable && TestEnvironment.pythonHasModules(["onnxruntime", "numpy"]),
    "Fashion-MNIST or Python onnxruntime missing"))
func evalOnOnnxRuntimeMatchesBuiltinEngine() throws {
    let model = try savedModel(tinyClassifier())
    let arguments = ["eval", model.path, "--dataset", "fashion-mnist", "--limit", "100", "--json", "--threads", "1"]
    let (builtinStatus, builtinOut, _) = runCapturing(arguments)
    let (status, out, err) = runCapturing(arguments + ["--runtime", "onnxruntime"])
    #expect(builtinStatus == 0)
    #expect(status == 0, "\(err)")
    let builtin = try jsonObject(builtinOut)
    let onnxRuntime = try jsonObject(out)
    // One sample of 100 may flip where two classes score within float rounding of each other.
    #expect(abs((builtin["top1"] as? Double ?? -1) - (onnxRuntime["top1"] as? Double ?? 1)) <= 0.01)
    #expect(abs((builtin["top5"] as? Double ?? -1) - (onnxRuntime["top5"] as? Double ?? 1)) <= 0.01)
}

@Test func evalRejectsUnknownRuntimeNamingIt() throws {
    let (status, _, err) = runCapturing(["eval", "model.onnx", "--dataset", "fashion-mnist", "--runtime", "tensorrt"])
    #expect(status == 64)
    #expect(err.contains("'tensorrt'"))
}
