import Foundation
import Graph
import LinearAlgebra

/// Settings of `fineTune`.
public struct FineTuneOptions: Sendable {
    /// Passes over the training images.
    public var epochs: Int
    /// Upper limit on optimizer steps; nil runs every step of `epochs`.
    public var maxSteps: Int?
    public var batchSize: Int
    public var learningRate: Double
    public var optimizer: OptimizerKind
    public var schedule: TrainingConfiguration.ScheduleKind
    /// Steps of linear learning-rate warm-up before the schedule.
    public var warmupSteps: Int
    public var labelSmoothing: Float
    public var augmentation: Augmentation
    /// Seeds shuffling, augmentation and the choice of the step-limited subset.
    public var seed: UInt64
    /// OpenBLAS threads.
    public var threads: Int
    /// Knowledge distillation from a teacher model; nil trains on labels alone.
    public var distillation: FineTuneDistillation?
    /// Whether accuracy is also measured before training (false for a model trained from scratch).
    public var evaluatesBefore = true

    public init(
        epochs: Int = 1, maxSteps: Int? = nil, batchSize: Int = 64, learningRate: Double = 0.01,
        optimizer: OptimizerKind = .sgd(momentum: 0.9, nesterov: true, weightDecay: 5e-4),
        schedule: TrainingConfiguration.ScheduleKind = .cosine(minimumFraction: 0), warmupSteps: Int = 0,
        labelSmoothing: Float = 0,
        augmentation: Augmentation = .none, seed: UInt64 = 0, threads: Int = 1, distillation: FineTuneDistillation? = nil
    ) {
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.schedule = schedule
        self.warmupSteps = warmupSteps
        self.labelSmoothing = labelSmoothing
        self.augmentation = augmentation
        self.seed = seed
        self.threads = threads
        self.distillation = distillation
    }
}

/// Distillation settings (Hinton, Vinyals and Dean, 2015): the loss is
/// alpha · T² · KL(softmax(teacher / T) || softmax(student / T)) + (1 − alpha) · cross-entropy.
public struct FineTuneDistillation: Sendable {
    /// The teacher, usually the model before compression; it runs in evaluation mode.
    public var teacher: Model
    public var temperature: Float
    /// Weight of the distillation term, in [0, 1].
    public var alpha: Float

    public init(teacher: Model, temperature: Float = 4, alpha: Float = 0.9) {
        self.teacher = teacher
        self.temperature = temperature
        self.alpha = alpha
    }
}

/// Outcome of `fineTune`.
public struct FineTuneResult: Sendable {
    /// The fine-tuned inference model: BatchNormalization folded, normalization in metadata.
    public var model: Model
    /// Top-1 accuracy on the evaluation images before and after training; nil without them.
    public var accuracyBefore: Double?
    public var accuracyAfter: Double?
    public var epochs: [EpochSummary]
    public var steps: Int
    /// Loss of the last training batch; nil when no step ran.
    public var lastLoss: Float?
}

/// Fine-tunes a trained classifier (for example a compressed one) on `training` and measures top-1
/// accuracy on `evaluation` before and after. The input normalization comes from the model's
/// `factorize.input.*` metadata (Fashion-MNIST statistics when absent) and is written back.
///
/// With `options.maxSteps` below one epoch's steps, training runs one epoch over a seeded random
/// subset of `maxSteps · batchSize` images, so the learning-rate schedule still ends at its last step.
///
/// - Throws: `TrainingError` when the model or teacher has an operator the engine cannot run,
///   or from training.
public func fineTune(
    _ model: Model, training: ImageDataset, evaluation: ImageDataset?, options: FineTuneOptions,
    progress: (TrainingEvent) -> TrainingControl = { _ in .proceed }
) throws -> FineTuneResult {
    precondition(options.batchSize > 0 && options.epochs > 0, "fineTune needs a positive batch size and epoch count")
    let normalization = InputNormalization(metadata: model.metadata) ?? .fashionMNIST
    let data = stepLimitedTraining(training, options: options)
    var configuration = TrainingConfiguration(
        epochs: options.epochs, batchSize: options.batchSize, optimizer: options.optimizer,
        learningRate: options.learningRate, schedule: options.schedule, warmupSteps: options.warmupSteps,
        labelSmoothing: options.labelSmoothing,
        normalization: normalization, augmentation: options.augmentation, seed: options.seed, threads: options.threads)
    if let distillation = options.distillation {
        let teacher = try TeacherSession(distillation.teacher, seed: options.seed, threads: options.threads)
        configuration.distillation = .init(temperature: distillation.temperature, alpha: distillation.alpha) {
            try teacher.logits($0)
        }
    }
    let trainer = try Trainer(model: model, configuration: configuration)
    let before = options.evaluatesBefore ? try evaluation.map { try trainer.evaluate($0) } : nil
    var steps = 0
    var lastLoss: Float?
    let epochs = try trainer.fit(training: data, validation: evaluation) { event in
        if case .step(let step) = event {
            steps += 1
            lastLoss = step.loss
        }
        let control = progress(event)
        if case .step = event, let limit = options.maxSteps, steps >= limit { return .stop }
        return control
    }
    // A run that `maxSteps` stopped inside an epoch has no validation of its final weights yet.
    let finished = epochs.count == options.epochs
    let after = try evaluation.map { dataset in
        try (finished ? epochs.last?.validationAccuracy : nil) ?? trainer.evaluate(dataset)
    }
    var exported = trainer.exportModel()
    let kept = model.metadata.filter { entry in !exported.metadata.contains { $0.key == entry.key } }
    exported.metadata = kept + exported.metadata
    return FineTuneResult(model: exported, accuracyBefore: before, accuracyAfter: after, epochs: epochs, steps: steps, lastLoss: lastLoss)
}

/// Selects the training images `fineTune` iterates over: all of them, or a seeded random subset
/// when `maxSteps` ends the run inside the first epoch.
private func stepLimitedTraining(_ training: ImageDataset, options: FineTuneOptions) -> ImageDataset {
    guard let limit = options.maxSteps, options.epochs == 1 else { return training }
    let needed = limit * options.batchSize
    guard needed < training.count else { return training }
    var generator = SplitMix64(seed: mixSeed(options.seed, 0x5355_4253))
    var order = Array(0..<training.count)
    for i in 0..<needed {
        let j = i + Int(generator.next() % UInt64(training.count - i))
        order.swapAt(i, j)
    }
    return training.subset(order[0..<needed].sorted())
}

/// Runs the teacher in evaluation mode for the distillation loss. The trainer calls the teacher
/// from its own thread only, which makes the unchecked sendability safe.
private final class TeacherSession: @unchecked Sendable {
    private let session: TrainingSession

    init(_ model: Model, seed: UInt64, threads: Int) throws {
        session = try TrainingSession(model: model, seed: seed, threads: threads)
        session.isTraining = false
    }

    func logits(_ input: LinearAlgebraTensor) throws -> LinearAlgebraTensor {
        let output = session.outputs[0]
        guard let logits = try session.forward([session.inputs[0]: input])[output] else {
            throw TrainingError.missingValue(node: "teacher output", value: output)
        }
        return logits
    }
}

extension InputNormalization {
    /// Reads `factorize.input.scale`, `.mean` and `.std` from model metadata; nil when mean or
    /// std is missing or not a comma-separated list of numbers. Scale defaults to 1/255.
    public init?(metadata: [(key: String, value: String)]) {
        func value(_ key: String) -> String? { metadata.last { $0.key == key }?.value }
        func list(_ key: String) -> [Float]? {
            guard let text = value(key) else { return nil }
            let values = text.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
            return values.isEmpty ? nil : values
        }
        guard let mean = list("factorize.input.mean"), let std = list("factorize.input.std"), mean.count == std.count else {
            return nil
        }
        self.init(scale: value("factorize.input.scale").flatMap { Float($0) } ?? 1 / 255, mean: mean, std: std)
    }
}
