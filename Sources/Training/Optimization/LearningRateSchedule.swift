import Foundation

/// Learning rate as a function of the optimizer step, with an optional linear warm-up.
public struct LearningRateSchedule: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        /// The base rate throughout.
        case constant
        /// Half-cosine from the base rate down to `minimum` at `totalSteps` (Loshchilov and Hutter, 2017).
        case cosine(totalSteps: Int, minimum: Double)
        /// Multiplies by `factor` every `interval` steps.
        case step(interval: Int, factor: Double)
    }

    public var baseRate: Double
    public var shape: Shape
    /// Steps over which the rate rises linearly from baseRate / warmupSteps to baseRate.
    public var warmupSteps: Int

    public init(baseRate: Double, shape: Shape = .constant, warmupSteps: Int = 0) {
        self.baseRate = baseRate
        self.shape = shape
        self.warmupSteps = warmupSteps
    }

    /// Learning rate for the 0-based optimizer step.
    public func rate(at step: Int) -> Double {
        if step < warmupSteps { return baseRate * Double(step + 1) / Double(warmupSteps) }
        switch shape {
        case .constant:
            return baseRate
        case .cosine(let totalSteps, let minimum):
            let span = max(totalSteps - warmupSteps, 1)
            let progress = min(Double(step - warmupSteps) / Double(span), 1)
            return minimum + (baseRate - minimum) * 0.5 * (1 + cos(Double.pi * progress))
        case .step(let interval, let factor):
            return baseRate * pow(factor, Double((step - warmupSteps) / max(interval, 1)))
        }
    }
}
