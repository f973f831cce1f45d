import Foundation
import Graph
import LinearAlgebra

/// Trains an IR model on an image dataset: seeded shuffling and augmentation, mini-batch
/// SGD or AdamW with a learning-rate schedule, validation after each epoch, and atomic
/// checkpoints that `fit(resume: true)` continues from exactly.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let session: TrainingSession
    public let optimizer: Optimizer
    private var state = RunState()

    /// File name of the checkpoint inside `configuration.checkpointDirectory`.
    public static let checkpointFileName = "training.checkpoint"

    /// Compiles `model` for training.
    /// - Throws: `TrainingError` when the model has an operator or attribute the engine cannot train.
    public init(model: Model, configuration: TrainingConfiguration) throws {
        self.configuration = configuration
        session = try TrainingSession(model: model, seed: configuration.seed, threads: configuration.threads)
        optimizer = Optimizer(configuration.optimizer, isFrozen: configuration.isFrozen)
    }

    /// Path of the checkpoint file, or nil when checkpoints are off.
    public var checkpointURL: URL? {
        configuration.checkpointDirectory?.appendingPathComponent(Self.checkpointFileName)
    }

    /// Trains for the configured epochs and returns one summary per epoch trained in this call.
    ///
    /// - Parameters:
    ///   - resume: continue from the checkpoint when one exists; a missing checkpoint starts afresh.
    ///   - progress: called after every step, checkpoint and epoch; returning `.stop` ends the run
    ///     after writing a checkpoint (when checkpoints are on).
    /// - Throws: `TrainingError` from the session, the checkpoint, or the teacher.
    @discardableResult
    public func fit(
        training: ImageDataset, validation: ImageDataset?, resume: Bool = false,
        progress: (TrainingEvent) -> TrainingControl = { _ in .proceed }
    ) throws -> [EpochSummary] {
        let batchSize = min(configuration.batchSize, training.count)
        precondition(batchSize > 0, "empty training set")
        // The last partial batch is dropped: a batch of one makes batch statistics degenerate.
        let batchesPerEpoch = training.count / batchSize
        let totalSteps = batchesPerEpoch * configuration.epochs
        let schedule = configuration.learningRateSchedule(totalSteps: totalSteps, stepsPerEpoch: batchesPerEpoch)
        if resume, let url = checkpointURL, FileManager.default.fileExists(atPath: url.path) {
            try restore(from: url)
        }

        var summaries: [EpochSummary] = []
        while state.epoch < configuration.epochs {
            let order = shuffledOrder(count: training.count, epoch: state.epoch)
            while state.batchInEpoch < batchesPerEpoch {
                let started = Date()
                let batch = state.batchInEpoch
                let indices = order[(batch * batchSize)..<((batch + 1) * batchSize)]
                let rate = schedule.rate(at: state.step)
                let loss = try trainStep(training, indices: indices, learningRate: rate)
                let elapsed = Date().timeIntervalSince(started)

                let event = StepProgress(
                    epoch: state.epoch, batch: batch + 1, batchesPerEpoch: batchesPerEpoch, step: state.step,
                    totalSteps: totalSteps, loss: loss, learningRate: rate,
                    imagesPerSecond: Double(batchSize) / max(elapsed, 1e-9),
                    trainAccuracy: Double(state.epochCorrect) / Double(max(state.epochSeen, 1)))
                var control = progress(.step(event))
                if let interval = configuration.checkpointInterval, state.step % interval == 0 {
                    control = try writeCheckpoint(progress) == .stop ? .stop : control
                }
                if control == .stop {
                    if configuration.checkpointInterval.map({ state.step % $0 != 0 }) ?? true {
                        _ = try writeCheckpoint(progress)
                    }
                    return summaries
                }
            }

            let summary = EpochSummary(
                epoch: state.epoch, trainLoss: Float(state.epochLossSum / Double(max(state.epochSeen, 1))),
                trainAccuracy: Double(state.epochCorrect) / Double(max(state.epochSeen, 1)),
                validationAccuracy: try validation.map { try evaluate($0) })
            summaries.append(summary)
            state.epoch += 1
            state.batchInEpoch = 0
            state.epochLossSum = 0
            state.epochCorrect = 0
            state.epochSeen = 0
            let control = progress(.epochEnd(summary))
            let checkpointControl = try writeCheckpoint(progress)
            if control == .stop || checkpointControl == .stop { return summaries }
        }
        return summaries
    }

    /// One forward, backward and optimizer update; returns the batch loss.
    private func trainStep(_ training: ImageDataset, indices: ArraySlice<Int>, learningRate: Double) throws -> Float {
        var generator = SplitMix64(seed: batchSeed(epoch: state.epoch, batch: state.batchInEpoch))
        let (input, labels) = training.batch(
            indices, normalization: configuration.normalization, augmentation: configuration.augmentation,
            generator: &generator)
        session.isTraining = true
        let outputName = session.outputs[0]
        guard let logits = try session.forward([session.inputs[0]: input], step: UInt64(state.step))[outputName] else {
            throw TrainingError.missingValue(node: "graph output", value: outputName)
        }

        let value: LossValue
        if let distillation = configuration.distillation {
            let teacherLogits = try distillation.teacher(input)
            value = Loss.distillation(
                logits: logits, teacherLogits: teacherLogits, labels: labels, temperature: distillation.temperature,
                alpha: distillation.alpha, labelSmoothing: configuration.labelSmoothing)
        } else {
            value = Loss.softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: configuration.labelSmoothing)
        }
        // A non-finite loss would turn every weight into NaN at the update; stop before it.
        guard value.loss.isFinite else {
            throw TrainingError.diverged(step: state.step, loss: value.loss, learningRate: learningRate)
        }
        session.backward([outputName: value.gradient])
        optimizer.step(session, learningRate: learningRate)

        state.step += 1
        state.batchInEpoch += 1
        state.epochLossSum += Double(value.loss) * Double(labels.count)
        state.epochSeen += labels.count
        state.epochCorrect += zip(Loss.predictions(logits), labels).filter { $0 == $1 }.count
        return value.loss
    }

    /// Top-1 accuracy in evaluation mode (running BatchNormalization statistics, no Dropout),
    /// without augmentation.
    public func evaluate(_ dataset: ImageDataset, batchSize: Int = 256) throws -> Double {
        session.isTraining = false
        defer { session.isTraining = true }
        var correct = 0
        var generator = SplitMix64(seed: 0)
        var start = 0
        while start < dataset.count {
            let end = min(start + batchSize, dataset.count)
            let indices = Array(start..<end)[...]
            let (input, labels) = dataset.batch(
                indices, normalization: configuration.normalization, augmentation: .none, generator: &generator)
            let outputs = try session.forward([session.inputs[0]: input])
            let predictions = Loss.predictions(outputs[session.outputs[0]]!)
            correct += zip(predictions, labels).filter { $0 == $1 }.count
            start = end
        }
        return Double(correct) / Double(max(dataset.count, 1))
    }

    /// Returns the trained model for inference with the current weights and running statistics.
    /// Each Conv → BatchNormalization pair is folded into the Conv when `foldBatchNormalization`
    /// is true, and metadata records the input normalization (see `InputNormalization.metadata`).
    public func exportModel(foldBatchNormalization fold: Bool = true) -> Model {
        var model = session.exportModel()
        // Graph's pass throws only for a cyclic graph. A session accepts only nodes listed in
        // topological order, so the unfolded fallback is never taken for a model it compiled.
        if fold { model = (try? foldBatchNormalization(model)) ?? model }
        let keys = Set(configuration.normalization.metadata.map(\.key))
        model.metadata.removeAll { keys.contains($0.key) }
        model.metadata.append(contentsOf: configuration.normalization.metadata)
        return model
    }

    // MARK: Random streams

    private func shuffledOrder(count: Int, epoch: Int) -> [Int] {
        var generator = SplitMix64(seed: mixSeed(configuration.seed, UInt64(epoch), 0x5348_5546))
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(generator.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }

    private func batchSeed(epoch: Int, batch: Int) -> UInt64 {
        mixSeed(configuration.seed, UInt64(epoch), UInt64(batch), 0x4155_4731)
    }

    // MARK: Checkpoints

    private func writeCheckpoint(_ progress: (TrainingEvent) -> TrainingControl) throws -> TrainingControl {
        guard let url = checkpointURL else { return .proceed }
        var tensors: [Checkpoint.Entry] = []
        for slot in session.parameters {
            tensors.append(.init(kind: .parameter, name: slot.name, shape: slot.shape, values: slot.data))
        }
        for slot in session.buffers {
            tensors.append(.init(kind: .buffer, name: slot.name, shape: slot.shape, values: slot.data))
        }
        for (name, values) in optimizer.firstMoment.sorted(by: { $0.key < $1.key }) {
            tensors.append(.init(kind: .firstMoment, name: name, shape: [values.count], values: values))
        }
        for (name, values) in optimizer.secondMoment.sorted(by: { $0.key < $1.key }) {
            tensors.append(.init(kind: .secondMoment, name: name, shape: [values.count], values: values))
        }
        let checkpoint = Checkpoint(
            seed: configuration.seed, step: state.step, epoch: state.epoch, batchInEpoch: state.batchInEpoch,
            optimizerSteps: optimizer.stepCount, generatorState: batchSeed(epoch: state.epoch, batch: state.batchInEpoch),
            epochLossSum: state.epochLossSum, epochCorrect: state.epochCorrect, epochSeen: state.epochSeen,
            tensors: tensors)
        try checkpoint.write(to: url)
        return progress(.checkpoint(path: url.path, step: state.step))
    }

    private func restore(from url: URL) throws {
        let checkpoint = try Checkpoint.read(from: url)
        guard checkpoint.seed == configuration.seed else {
            throw TrainingError.invalidCheckpoint(
                path: url.path, detail: "written with seed \(checkpoint.seed), this run uses \(configuration.seed)")
        }
        guard checkpoint.generatorState == batchSeed(epoch: checkpoint.epoch, batch: checkpoint.batchInEpoch) else {
            throw TrainingError.invalidCheckpoint(path: url.path, detail: "random stream state does not match its position")
        }
        var firstMoment: [String: [Float]] = [:]
        var secondMoment: [String: [Float]] = [:]
        for entry in checkpoint.tensors {
            switch entry.kind {
            case .parameter, .buffer:
                guard let current = session.value(entry.name), current.count == entry.values.count else {
                    throw TrainingError.invalidCheckpoint(
                        path: url.path, detail: "tensor '\(entry.name)' \(entry.shape) does not match the model")
                }
                session.setValue(entry.name, Tensor(shape: current.shape, scalars: entry.values))
            case .firstMoment:
                firstMoment[entry.name] = entry.values
            case .secondMoment:
                secondMoment[entry.name] = entry.values
            }
        }
        optimizer.firstMoment = firstMoment
        optimizer.secondMoment = secondMoment
        optimizer.stepCount = checkpoint.optimizerSteps
        state = RunState(
            step: checkpoint.step, epoch: checkpoint.epoch, batchInEpoch: checkpoint.batchInEpoch,
            epochLossSum: checkpoint.epochLossSum, epochCorrect: checkpoint.epochCorrect, epochSeen: checkpoint.epochSeen)
    }
}

/// Position in the run and the running statistics of the current epoch.
private struct RunState {
    var step = 0
    var epoch = 0
    var batchInEpoch = 0
    var epochLossSum: Double = 0
    var epochCorrect = 0
    var epochSeen = 0
}
