import Foundation
import LinearAlgebra

/// Everything that determines a training run; two runs with equal configurations and data
/// produce equal weights when `threads` is 1.
public struct TrainingConfiguration: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerKind
    /// Peak learning rate.
    public var learningRate: Double
    public var schedule: ScheduleKind
    /// Linear warm-up length in optimizer steps.
    public var warmupSteps: Int
    public var labelSmoothing: Float
    public var normalization: InputNormalization
    public var augmentation: Augmentation
    /// Seed of shuffling, augmentation and Dropout.
    public var seed: UInt64
    /// OpenBLAS threads.
    public var threads: Int
    /// Knowledge distillation settings; nil trains on labels alone.
    public var distillation: Distillation?
    /// Folder for checkpoints; nil writes none.
    public var checkpointDirectory: URL?
    /// Steps between checkpoints, besides the one at each epoch end; nil writes only epoch-end ones.
    public var checkpointInterval: Int?
    /// Parameters matching this predicate on their name stay fixed (for example, all but factor layers).
    public var isFrozen: @Sendable (String) -> Bool

    public enum ScheduleKind: Sendable, Equatable {
        case constant
        /// Cosine decay over the whole run down to `minimumFraction` of the peak rate.
        case cosine(minimumFraction: Double)
        /// Multiply by `factor` every `epochs` epochs.
        case step(epochs: Int, factor: Double)
    }

    /// Soft targets from a teacher's logits (see `Loss.distillation`).
    public struct Distillation: Sendable {
        public var temperature: Float
        public var alpha: Float
        /// Maps a normalized input batch [N, C, H, W] to the teacher's logits [N, classes].
        public var teacher: @Sendable (LinearAlgebraTensor) throws -> LinearAlgebraTensor

        public init(temperature: Float, alpha: Float, teacher: @escaping @Sendable (LinearAlgebraTensor) throws -> LinearAlgebraTensor) {
            self.temperature = temperature
            self.alpha = alpha
            self.teacher = teacher
        }
    }

    public init(
        epochs: Int, batchSize: Int = 64,
        optimizer: OptimizerKind = .sgd(momentum: 0.9, nesterov: true, weightDecay: 5e-4),
        learningRate: Double = 0.1, schedule: ScheduleKind = .cosine(minimumFraction: 0), warmupSteps: Int = 0,
        labelSmoothing: Float = 0, normalization: InputNormalization = .fashionMNIST,
        augmentation: Augmentation = Augmentation(), seed: UInt64 = 0, threads: Int = 1,
        distillation: Distillation? = nil, checkpointDirectory: URL? = nil, checkpointInterval: Int? = nil,
        isFrozen: @escaping @Sendable (String) -> Bool = { _ in false }
    ) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.schedule = schedule
        self.warmupSteps = warmupSteps
        self.labelSmoothing = labelSmoothing
        self.normalization = normalization
        self.augmentation = augmentation
        self.seed = seed
        self.threads = threads
        self.distillation = distillation
        self.checkpointDirectory = checkpointDirectory
        self.checkpointInterval = checkpointInterval
        self.isFrozen = isFrozen
    }

    /// The learning-rate schedule for a run of `totalSteps` optimizer steps.
    func learningRateSchedule(totalSteps: Int, stepsPerEpoch: Int) -> LearningRateSchedule {
        let shape: LearningRateSchedule.Shape
        switch schedule {
        case .constant: shape = .constant
        case .cosine(let fraction): shape = .cosine(totalSteps: totalSteps, minimum: learningRate * fraction)
        case .step(let epochs, let factor): shape = .step(interval: epochs * stepsPerEpoch, factor: factor)
        }
        return LearningRateSchedule(baseRate: learningRate, shape: shape, warmupSteps: warmupSteps)
    }
}

/// Float tensor as the LinearAlgebra module defines it.
public typealias LinearAlgebraTensor = LinearAlgebra.Tensor<Float>
