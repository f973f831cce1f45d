import Foundation
import Graph
import TestSupport
import Testing
import Training

/// A learning rate of 10⁹ on a linear classifier makes the loss infinite within a few steps,
/// so training must stop with `diverged` instead of writing NaN weights.
@Test func hugeLearningRateStopsWithDiverged() throws {
    var generator = SplitMix64(seed: 3)
    let pixels = (0..<(64 * 16)).map { _ in UInt8(generator.next() % 256) }
    let labels = (0..<64).map { $0 % 4 }
    let dataset = ImageDataset(pixels: pixels, labels: labels, channels: 1, height: 4, width: 4)
    let weights = (0..<64).map { _ in Float(generator.nextUniform(-0.1, 0.1)) }
    let graph = Graph(
        name: "linear",
        nodes: [
            Node(name: "flatten", opType: "Flatten", inputs: ["input"], outputs: ["flat"]),
            Node(name: "fc", opType: "Gemm", inputs: ["flat", "w"], outputs: ["logits"], attributes: ["transB": .int(1)]),
        ],
        initializers: ["w": TensorData(floats: weights, shape: [4, 16])],
        inputs: [ValueInfo(name: "input", elementType: .float, shape: [.symbolic("batch"), .known(1), .known(4), .known(4)])],
        outputs: [ValueInfo(name: "logits", elementType: .float, shape: nil)])
    let configuration = TrainingConfiguration(epochs: 3, batchSize: 16, learningRate: 1e9)
    let trainer = try Trainer(model: Model(graph: graph), configuration: configuration)

    #expect {
        _ = try trainer.fit(training: dataset, validation: nil)
    } throws: { error in
        guard case TrainingError.diverged(_, let loss, let rate) = error else { return false }
        return !loss.isFinite && rate > 0
    }
}

@Test func missingFashionMNISTNamesThePackage() throws {
    let folder = try TestEnvironment.makeTemporaryDirectory("empty-fashion-mnist")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect {
        _ = try ImageDataset.fashionMNIST(directory: folder, split: .test)
    } throws: { error in
        "\(error)".contains("dataset-fashion-mnist") && "\(error)".contains("t10k-images-idx3-ubyte")
    }
}
