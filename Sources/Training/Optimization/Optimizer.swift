import Foundation

/// Update rule for the parameters of a training session.
public enum OptimizerKind: Sendable, Equatable {
    /// SGD with momentum μ (PyTorch form: v ← μ·v + g; Nesterov uses g + μ·v as the step),
    /// and L2 weight decay added to the gradient.
    case sgd(momentum: Double, nesterov: Bool, weightDecay: Double)
    /// AdamW (Loshchilov and Hutter, 2019): Adam with weight decay applied to the weights directly.
    case adamW(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)
}

/// Applies gradients to a session's parameters, keeping per-parameter state (momentum, Adam moments).
///
/// Parameters for which `isFrozen` returns true keep their values and get no state.
/// Weight decay skips 1-D parameters (biases and BatchNormalization scale and shift), as is usual for CNNs.
public final class Optimizer {
    public let kind: OptimizerKind
    public let isFrozen: @Sendable (String) -> Bool
    /// Number of updates applied so far; AdamW's bias correction uses it.
    public internal(set) var stepCount = 0
    /// First state per parameter (velocity for SGD, first moment for AdamW), by parameter name.
    var firstMoment: [String: [Float]] = [:]
    /// Second moment per parameter (AdamW only).
    var secondMoment: [String: [Float]] = [:]

    public init(_ kind: OptimizerKind, isFrozen: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.kind = kind
        self.isFrozen = isFrozen
    }

    /// Names of the parameters this optimizer updates in `session`.
    public func trainableParameters(of session: TrainingSession) -> [String] {
        session.parameterNames.filter { !isFrozen($0) }
    }

    /// Updates every unfrozen parameter from its gradient with learning rate `rate`.
    public func step(_ session: TrainingSession, learningRate rate: Double) {
        stepCount += 1
        for slot in session.parameters where !isFrozen(slot.name) && !slot.grad.isEmpty {
            let decays = slot.shape.count > 1
            switch kind {
            case .sgd(let momentum, let nesterov, let weightDecay):
                applySGD(slot, rate: Float(rate), momentum: Float(momentum), nesterov: nesterov,
                         weightDecay: decays ? Float(weightDecay) : 0)
            case .adamW(let beta1, let beta2, let epsilon, let weightDecay):
                applyAdamW(slot, rate: Float(rate), beta1: Float(beta1), beta2: Float(beta2), epsilon: Float(epsilon),
                           weightDecay: decays ? Float(weightDecay) : 0)
            }
        }
    }

    private func applySGD(_ slot: ValueSlot, rate: Float, momentum: Float, nesterov: Bool, weightDecay: Float) {
        var velocity = firstMoment[slot.name] ?? []
        let fresh = velocity.isEmpty
        if fresh { velocity = [Float](repeating: 0, count: slot.count) }
        slot.data.withUnsafeMutableBufferPointer { weights in
            slot.grad.withUnsafeBufferPointer { grad in
                velocity.withUnsafeMutableBufferPointer { v in
                    for i in 0..<weights.count {
                        let g = grad[i] + weightDecay * weights[i]
                        v[i] = momentum * v[i] + g
                        let update = nesterov ? g + momentum * v[i] : (momentum > 0 ? v[i] : g)
                        weights[i] -= rate * update
                    }
                }
            }
        }
        if momentum > 0 { firstMoment[slot.name] = velocity }
    }

    private func applyAdamW(
        _ slot: ValueSlot, rate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    ) {
        var m = firstMoment[slot.name] ?? [Float](repeating: 0, count: slot.count)
        var v = secondMoment[slot.name] ?? [Float](repeating: 0, count: slot.count)
        let correction1 = 1 - pow(beta1, Float(stepCount))
        let correction2 = 1 - pow(beta2, Float(stepCount))
        slot.data.withUnsafeMutableBufferPointer { weights in
            slot.grad.withUnsafeBufferPointer { grad in
                for i in 0..<weights.count {
                    weights[i] -= rate * weightDecay * weights[i]
                    m[i] = beta1 * m[i] + (1 - beta1) * grad[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i]
                    let mHat = m[i] / correction1
                    let vHat = v[i] / correction2
                    weights[i] -= rate * mHat / (vHat.squareRoot() + epsilon)
                }
            }
        }
        firstMoment[slot.name] = m
        secondMoment[slot.name] = v
    }
}
