import Foundation
import Graph
import Testing
import TestSupport
import Training

@Suite(.enabled(if: FashionMNISTFixture.isAvailable, "Fashion-MNIST IDX files not found; install dataset-fashion-mnist or set FACTORIZE_FASHION_MNIST"))
struct ExportTests {
    @Test func foldedExportKeepsPredictions() throws {
        let directory = try #require(FashionMNISTFixture.directory)
        let training = try ImageDataset.fashionMNIST(directory: directory, split: .train).subset(0..<640)
        let heldOut = try ImageDataset.fashionMNIST(directory: directory, split: .test).subset(0..<500)
        let configuration = TrainingConfiguration(epochs: 1, batchSize: 32, learningRate: 0.05, seed: 5)
        let trainer = try Trainer(model: FashionMNISTFixture.smallCNN(seed: 4), configuration: configuration)
        try trainer.fit(training: training, validation: nil)
        let trained = try trainer.evaluate(heldOut)

        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("small.onnx")
        try trainer.exportModel().save(to: url)
        let reloaded = try Model.load(from: url)
        let evaluator = try Trainer(model: reloaded, configuration: configuration)

        #expect(!reloaded.graph.nodes.contains { $0.opType == "BatchNormalization" })
        let mean = reloaded.metadata.first { $0.key == "factorize.input.mean" }
        #expect(mean?.value == "0.286")
        // Folding reorders float operations, so at most one of the 500 predictions may flip.
        #expect(abs(try evaluator.evaluate(heldOut) - trained) <= 0.002)
    }
}
