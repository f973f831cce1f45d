import Foundation
import Testing
import Graph
import Training

/// Measures training throughput of the ResNet-18 baseline at batch 64. Opt-in through
/// FACTORIZE_MEASURE_THROUGHPUT=1 because it only reports a number.
@Test(.enabled(if: ProcessInfo.processInfo.environment["FACTORIZE_MEASURE_THROUGHPUT"] == "1", "set FACTORIZE_MEASURE_THROUGHPUT=1 to measure"))
func resNetThroughputAtBatch64() throws {
    let width = Int(ProcessInfo.processInfo.environment["FACTORIZE_BASE_WIDTH"] ?? "16") ?? 16
    let threads = Int(ProcessInfo.processInfo.environment["FACTORIZE_THREADS"] ?? "1") ?? 1
    let model = ResNetBuilder.resNet18(baseWidth: width)
    let session = try TrainingSession(model: model, threads: threads)
    var generator = SplitMix64(seed: 1)
    let input = LinearAlgebraTensor(shape: [64, 1, 28, 28], scalars: (0..<(64 * 784)).map { _ in Float(generator.nextNormal()) })
    let labels = (0..<64).map { $0 % 10 }
    let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: true, weightDecay: 5e-4))
    var rates: [Double] = []
    for _ in 0..<6 {
        let start = Date()
        let logits = try session.forward(["input": input])[session.outputs[0]]!
        let loss = Loss.softmaxCrossEntropy(logits: logits, labels: labels)
        session.backward([session.outputs[0]: loss.gradient])
        optimizer.step(session, learningRate: 0.01)
        rates.append(64 / Date().timeIntervalSince(start))
    }
    print("resnet18 width \(width) threads \(threads): images/s per step \(rates.map { Int($0) })")
    #expect(rates.allSatisfy { $0 > 0 })
}

/// Trains the baseline ResNet-18 on 2 000 images for one epoch and prints losses and held-out
/// accuracy. Opt-in through FACTORIZE_PROBE_RESNET=1; a quick check before the long run.
@Test(.enabled(if: ProcessInfo.processInfo.environment["FACTORIZE_PROBE_RESNET"] == "1", "set FACTORIZE_PROBE_RESNET=1 to run"))
func resNetShortRunProbe() throws {
    let directory = try #require(FashionMNISTFixture.directory)
    let training = try ImageDataset.fashionMNIST(directory: directory, split: .train)
    let test = try ImageDataset.fashionMNIST(directory: directory, split: .test)
    let configuration = TrainingConfiguration(
        epochs: 1, batchSize: 64, learningRate: 0.05, warmupSteps: 5, labelSmoothing: 0.1, seed: 0)
    let trainer = try Trainer(model: ResNetBuilder.resNet18(baseWidth: 16), configuration: configuration)
    var losses: [Float] = []
    var rates: [Int] = []
    try trainer.fit(training: training.subset(0..<3200), validation: nil) { event in
        if case .step(let step) = event {
            losses.append(step.loss)
            rates.append(Int(step.imagesPerSecond))
        }
        return .proceed
    }
    let accuracy = try trainer.evaluate(test.subset(0..<1000))
    print("losses \(losses.map { ($0 * 100).rounded() / 100 }) images/s \(rates) accuracy \(accuracy)")
}
