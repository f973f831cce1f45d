import Foundation
import Graph

/// Settings of the shipped Fashion-MNIST ResNet-18 baseline. The defaults are the recorded run.
///
/// NOTE: these defaults reached 91.05 % top-1 on the test set, short of the 92 % target. The
/// 4 epochs were sized to fit about an hour on two shared cores; more epochs are the likely fix.
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
    return FashionMNISTBaselineResult(model: exported, testAccuracy: accuracy, epochs: epochs)
}

private func baselineRecipe(_ options: FashionMNISTBaselineOptions) -> String {
    "resnet18 base \(options.baseWidth), \(options.epochs) epochs, batch \(options.batchSize), "
        + "SGD nesterov momentum 0.9 lr \(options.learningRate) cosine warmup \(options.warmupSteps), "
        + "weight decay \(options.weightDecay), label smoothing \(options.labelSmoothing), "
        + "crop padding \(options.augmentation.cropPadding), flip \(options.augmentation.horizontalFlip), seed \(options.seed)"
}
