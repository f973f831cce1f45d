/// Progress that `Trainer.fit` reports; the caller renders it (the library never prints).
public enum TrainingEvent: Sendable {
    /// After each optimizer step. `step` counts from 1 over the whole run.
    case step(StepProgress)
    /// After each epoch's validation.
    case epochEnd(EpochSummary)
    /// A checkpoint was written.
    case checkpoint(path: String, step: Int)
}

public struct StepProgress: Sendable {
    public var epoch: Int
    /// 1-based batch within the epoch.
    public var batch: Int
    public var batchesPerEpoch: Int
    public var step: Int
    public var totalSteps: Int
    public var loss: Float
    public var learningRate: Double
    /// Training images per second over this step's forward, backward and update.
    public var imagesPerSecond: Double
    /// Accuracy on this epoch's training batches so far, computed in training mode.
    public var trainAccuracy: Double
}

public struct EpochSummary: Sendable {
    /// 0-based epoch index.
    public var epoch: Int
    public var trainLoss: Float
    /// Accuracy on the augmented training batches, computed in training mode.
    public var trainAccuracy: Double
    /// Top-1 accuracy on the validation set in evaluation mode, or nil without one.
    public var validationAccuracy: Double?
}

/// Returned by the progress callback: keep going, or stop after the current step
/// (the run can continue later from its last checkpoint).
public enum TrainingControl: Sendable {
    case proceed
    case stop
}
