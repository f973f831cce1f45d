import Foundation
import Graph
import Testing
import Training

@Suite(.enabled(if: FashionMNISTFixture.isAvailable, "Fashion-MNIST IDX files not found; install dataset-fashion-mnist or set FACTORIZE_FASHION_MNIST"))
struct FashionMNISTTrainingTests {
    let training: ImageDataset
    let test: ImageDataset

    init() throws {
        let directory = try #require(FashionMNISTFixture.directory)
        training = try ImageDataset.fashionMNIST(directory: directory, split: .train)
        test = try ImageDataset.fashionMNIST(directory: directory, split: .test)
    }

    @Test func smallCNNLearnsInOneEpoch() throws {
        let configuration = TrainingConfiguration(
            epochs: 1, batchSize: 32, optimizer: .sgd(momentum: 0.9, nesterov: false, weightDecay: 0),
            learningRate: 0.05, schedule: .constant, augmentation: .none, seed: 3)
        let trainer = try Trainer(model: FashionMNISTFixture.smallCNN(seed: 1), configuration: configuration)
        let heldOut = test.subset(0..<1000)
        var losses: [Float] = []
        try trainer.fit(training: training.subset(0..<2000), validation: nil) { event in
            if case .step(let step) = event { losses.append(step.loss) }
            return .proceed
        }
        let accuracy = try trainer.evaluate(heldOut)

        let first = losses.prefix(10).reduce(0, +) / 10
        let last = losses.suffix(10).reduce(0, +) / 10
        #expect(losses.count == 62)
        #expect(last < first * 0.7, "mean loss of the first 10 steps \(first), of the last 10 \(last)")
        #expect(accuracy > 0.5, "held-out accuracy \(accuracy); chance is 0.1")
    }

    @Test func resumeMatchesUninterruptedRun() throws {
        let directory = try TestEnvironmentTemporary.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let subset = training.subset(0..<256)
        func configuration(_ checkpoints: URL?) -> TrainingConfiguration {
            TrainingConfiguration(
                epochs: 2, batchSize: 32, optimizer: .sgd(momentum: 0.9, nesterov: true, weightDecay: 1e-4),
                learningRate: 0.05, schedule: .cosine(minimumFraction: 0), warmupSteps: 2, labelSmoothing: 0.1,
                seed: 11, checkpointDirectory: checkpoints, checkpointInterval: 3)
        }

        let uninterrupted = try Trainer(model: FashionMNISTFixture.smallCNN(seed: 2), configuration: configuration(nil))
        try uninterrupted.fit(training: subset, validation: nil)

        let first = try Trainer(model: FashionMNISTFixture.smallCNN(seed: 2), configuration: configuration(directory))
        var stepsSeen = 0
        try first.fit(training: subset, validation: nil) { event in
            guard case .step = event else { return .proceed }
            stepsSeen += 1
            return stepsSeen == 11 ? .stop : .proceed
        }
        let resumed = try Trainer(model: FashionMNISTFixture.smallCNN(seed: 2), configuration: configuration(directory))
        try resumed.fit(training: subset, validation: nil, resume: true)

        #expect(stepsSeen == 11)
        for name in uninterrupted.session.parameterNames + uninterrupted.session.bufferNames {
            #expect(resumed.session.value(name) == uninterrupted.session.value(name), "\(name) differs after resume")
        }
    }
}

enum TestEnvironmentTemporary {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("factorize-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
