import Foundation
import LinearAlgebra

/// A scalar loss over a batch and its gradient with respect to the logits.
public struct LossValue {
    /// Mean loss over the batch.
    public var loss: Float
    /// d loss / d logits, same shape as the logits.
    public var gradient: Tensor<Float>
}

/// Softmax cross-entropy losses on [batch, classes] logits, averaged over the batch.
public enum Loss {
    /// Cross-entropy of softmax(logits) against one-hot labels smoothed by `labelSmoothing` ε:
    /// the target puts 1 − ε on the label and ε / classes on every class (Szegedy et al., 2016).
    ///
    /// Preconditions: logits are 2-D, one label per row, each label in 0..<classes.
    public static func softmaxCrossEntropy(logits: Tensor<Float>, labels: [Int], labelSmoothing: Float = 0) -> LossValue {
        precondition(logits.rank == 2 && logits.shape[0] == labels.count, "logits \(logits.shape) for \(labels.count) labels")
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        var gradient = [Float](repeating: 0, count: logits.count)
        var total: Double = 0
        let offValue = labelSmoothing / Float(classes)
        for row in 0..<batch {
            let label = labels[row]
            precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
            let probabilities = softmax(logits.scalars, row: row, classes: classes, temperature: 1)
            for j in 0..<classes {
                let target = offValue + (j == label ? 1 - labelSmoothing : 0)
                total -= Double(target) * log(max(Double(probabilities[j]), 1e-30))
                gradient[row * classes + j] = (probabilities[j] - target) / Float(batch)
            }
        }
        return LossValue(loss: Float(total / Double(batch)), gradient: Tensor(shape: logits.shape, scalars: gradient))
    }

    /// Knowledge distillation (Hinton, Vinyals and Dean, 2015):
    /// `α · T² · KL(softmax(teacher / T) ‖ softmax(student / T)) + (1 − α) · CE(student, labels)`.
    /// The T² factor keeps the soft-target gradient's magnitude independent of T.
    public static func distillation(
        logits: Tensor<Float>, teacherLogits: Tensor<Float>, labels: [Int], temperature: Float, alpha: Float,
        labelSmoothing: Float = 0
    ) -> LossValue {
        precondition(logits.shape == teacherLogits.shape, "student \(logits.shape) vs teacher \(teacherLogits.shape)")
        let hard = softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: labelSmoothing)
        let (batch, classes) = (logits.shape[0], logits.shape[1])
        var gradient = hard.gradient.scalars.map { $0 * (1 - alpha) }
        var divergence: Double = 0
        let scale = alpha * temperature * temperature
        for row in 0..<batch {
            let student = softmax(logits.scalars, row: row, classes: classes, temperature: temperature)
            let teacher = softmax(teacherLogits.scalars, row: row, classes: classes, temperature: temperature)
            for j in 0..<classes where teacher[j] > 0 {
                divergence += Double(teacher[j]) * (log(Double(teacher[j])) - log(max(Double(student[j]), 1e-30)))
                // d KL / d z_j = (q_j − p_j) / T for student logits z.
                gradient[row * classes + j] += scale * (student[j] - teacher[j]) / (temperature * Float(batch))
            }
        }
        let soft = Float(divergence / Double(batch)) * temperature * temperature
        return LossValue(
            loss: alpha * soft + (1 - alpha) * hard.loss, gradient: Tensor(shape: logits.shape, scalars: gradient))
    }

    /// Softmax of one row of logits / temperature, computed with the row maximum subtracted.
    static func softmax(_ logits: [Float], row: Int, classes: Int, temperature: Float) -> [Float] {
        let start = row * classes
        var maximum = -Float.infinity
        for j in 0..<classes { maximum = max(maximum, logits[start + j] / temperature) }
        var result = [Float](repeating: 0, count: classes)
        var sum: Float = 0
        for j in 0..<classes {
            result[j] = exp(logits[start + j] / temperature - maximum)
            sum += result[j]
        }
        for j in 0..<classes { result[j] /= sum }
        return result
    }

    /// Index of the largest logit in each row.
    public static func predictions(_ logits: Tensor<Float>) -> [Int] {
        let classes = logits.shape[1]
        return (0..<logits.shape[0]).map { row in
            var best = 0
            for j in 1..<classes where logits.scalars[row * classes + j] > logits.scalars[row * classes + best] { best = j }
            return best
        }
    }
}
