import Foundation
import Graph

/// Settings of the first phase of the shipped Fashion-MNIST ResNet-18 baseline. The defaults are
/// the recorded run, which reached 91.05 % top-1 on the test set. `FashionMNISTContinuationOptions`
/// describes the second phase.
public struct FashionMNISTBaselineOptions: Sendable {
    /// Folder with the four IDX files (gzip or plain).
    public var dataDirectory: URL
    public var epochs: Int
    public var baseWidth: Int
    public var batchSize: Int
    public var learningRate: Double
    public var weightDecay: Double
    public var labelSmoothing: Float
    public var warmupSteps: Int
    public var augmentation: Augmentation
    public var seed: UInt64
    public var threads: Int
    /// Folder for checkpoints, so an interrupted run can resume; nil writes none.
    public var checkpointDirectory: URL?

    public init(
        dataDirectory: URL = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist"), epochs: Int = 4,
        baseWidth: Int = 16, batchSize: Int = 64, learningRate: Double = 0.05, weightDecay: Double = 5e-4,
        labelSmoothing: Float = 0.1, warmupSteps: Int = 200, augmentation: Augmentation = Augmentation(cropPadding: 2, horizontalFlip: true),
        seed: UInt64 = 0, threads: Int = 1, checkpointDirectory: URL? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.epochs = epochs
        self.baseWidth = baseWidth
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.labelSmoothing = labelSmoothing
        self.warmupSteps = warmupSteps
        self.augmentation = augmentation
        self.seed = seed
        self.threads = threads
        self.checkpointDirectory = checkpointDirectory
    }
}

/// Outcome of `trainFashionMNISTBaseline`.
public struct FashionMNISTBaselineResult: Sendable {
    /// Inference model: BatchNormalization folded, normalization recorded in metadata.
    public var model: Model
    /// Top-1 accuracy of `model`'s weights on the 10 000 test images.
    public var testAccuracy: Double
    public var epochs: [EpochSummary]
    /// The trained model with its BatchNormalization nodes and running statistics, for a later phase.
    public var trainingModel: Model
}

/// Trains ResNet-18 (`ResNetBuilder.resNet18`) on the 60 000 Fashion-MNIST training images with
/// Nesterov SGD, linear warm-up then cosine decay, label smoothing, random crop and flip, and
/// evaluates on the 10 000 test images after each epoch.
///
/// - Parameter resume: continue from the checkpoint in `options.checkpointDirectory` when present.
/// - Throws: `TrainingError.invalidDataset` when the IDX files are missing, or errors from training.
public func trainFashionMNISTBaseline(
    _ options: FashionMNISTBaselineOptions = FashionMNISTBaselineOptions(), resume: Bool = false,
    progress: (TrainingEvent) -> TrainingControl = { _ in .proceed }
) throws -> FashionMNISTBaselineResult {
    let training = try ImageDataset.fashionMNIST(directory: options.dataDirectory, split: .train)
    let test = try ImageDataset.fashionMNIST(directory: options.dataDirectory, split: .test)
    let model = ResNetBuilder.resNet18(inputShape: [1, 28, 28], classes: 10, baseWidth: options.baseWidth, seed: options.seed)
    let configuration = TrainingConfiguration(
        epochs: options.epochs, batchSize: options.batchSize,
        optimizer: .sgd(momentum: 0.9, nesterov: true, weightDecay: options.weightDecay),
        learningRate: options.learningRate, schedule: .cosine(minimumFraction: 0), warmupSteps: options.warmupSteps,
        labelSmoothing: options.labelSmoothing, normalization: .fashionMNIST, augmentation: options.augmentation,
        seed: options.seed, threads: options.threads, checkpointDirectory: options.checkpointDirectory,
        checkpointInterval: 200)
    let trainer = try Trainer(model: model, configuration: configuration)
    let epochs = try trainer.fit(training: training, validation: test, resume: resume, progress: progress)
    let accuracy = try epochs.last?.validationAccuracy ?? trainer.evaluate(test)
    var exported = trainer.exportModel()
    exported.metadata.append(("factorize.training.recipe", baselineRecipe(options)))
    exported.metadata.append(("factorize.training.test_accuracy", String(format: "%.4f", accuracy)))
    return FashionMNISTBaselineResult(
        model: exported, testAccuracy: accuracy, epochs: epochs,
        trainingModel: trainer.exportModel(foldBatchNormalization: false))
}

private func baselineRecipe(_ options: FashionMNISTBaselineOptions) -> String {
    "resnet18 base \(options.baseWidth), \(options.epochs) epochs, batch \(options.batchSize), "
        + "SGD nesterov momentum 0.9 lr \(options.learningRate) cosine warmup \(options.warmupSteps), "
        + "weight decay \(options.weightDecay), label smoothing \(options.labelSmoothing), "
        + "crop padding \(options.augmentation.cropPadding), flip \(options.augmentation.horizontalFlip), seed \(options.seed)"
}

/// Settings of the second phase of the shipped baseline: a warm restart from the first phase's
/// weights and BatchNormalization statistics with a fresh optimizer (no momentum carried over),
/// a low learning rate decaying by cosine to 0, and no augmentation. The defaults are the recorded run.
public struct FashionMNISTContinuationOptions: Sendable {
    public var epochs: Int
    public var learningRate: Double
    public var augmentation: Augmentation
    /// Seed of shuffling. Reusing the first phase's seed keeps the two phases one reproducible recipe.
    public var seed: UInt64
    /// Folder for this phase's checkpoints, or nil for none. It must differ from the first phase's folder.
    public var checkpointDirectory: URL?

    public init(
        epochs: Int = 3, learningRate: Double = 0.02, augmentation: Augmentation = .none, seed: UInt64 = 0,
        checkpointDirectory: URL? = nil
    ) {
        self.epochs = epochs
        self.learningRate = learningRate
        self.augmentation = augmentation
        self.seed = seed
        self.checkpointDirectory = checkpointDirectory
    }
}

/// Continues the baseline from `first.trainingModel` with the first phase's batch size, weight
/// decay and label smoothing, and the continuation's epochs, learning rate and augmentation.
///
/// - Throws: `TrainingError.invalidDataset` when the IDX files are missing, or errors from training.
public func continueFashionMNISTBaseline(
    _ first: FashionMNISTBaselineResult, options: FashionMNISTBaselineOptions,
    continuation: FashionMNISTContinuationOptions, resume: Bool = false,
    progress: (TrainingEvent) -> TrainingControl = { _ in .proceed }
) throws -> FashionMNISTBaselineResult {
    let training = try ImageDataset.fashionMNIST(directory: options.dataDirectory, split: .train)
    let test = try ImageDataset.fashionMNIST(directory: options.dataDirectory, split: .test)
    let configuration = TrainingConfiguration(
        epochs: continuation.epochs, batchSize: options.batchSize,
        optimizer: .sgd(momentum: 0.9, nesterov: true, weightDecay: options.weightDecay),
        learningRate: continuation.learningRate, schedule: .cosine(minimumFraction: 0), warmupSteps: 0,
        labelSmoothing: options.labelSmoothing, normalization: .fashionMNIST, augmentation: continuation.augmentation,
        seed: continuation.seed, threads: options.threads, checkpointDirectory: continuation.checkpointDirectory,
        checkpointInterval: 200)
    let trainer = try Trainer(model: first.trainingModel, configuration: configuration)
    let epochs = try trainer.fit(training: training, validation: test, resume: resume, progress: progress)
    let accuracy = try epochs.last?.validationAccuracy ?? trainer.evaluate(test)
    var exported = trainer.exportModel()
    exported.metadata.append(("factorize.training.recipe", baselineRecipe(options) + "; then " + continuationRecipe(continuation)))
    exported.metadata.append(("factorize.training.first_phase_test_accuracy", String(format: "%.4f", first.testAccuracy)))
    exported.metadata.append(("factorize.training.test_accuracy", String(format: "%.4f", accuracy)))
    exported.metadata.append(("factorize.training.command", "scripts/train-baseline.sh"))
    return FashionMNISTBaselineResult(
        model: exported, testAccuracy: accuracy, epochs: first.epochs + epochs,
        trainingModel: trainer.exportModel(foldBatchNormalization: false))
}

private func continuationRecipe(_ options: FashionMNISTContinuationOptions) -> String {
    "\(options.epochs) more epochs from those weights with a fresh optimizer, lr \(options.learningRate) cosine to 0 "
        + "without warm-up, crop padding \(options.augmentation.cropPadding), flip \(options.augmentation.horizontalFlip), "
        + "seed \(options.seed)"
}
