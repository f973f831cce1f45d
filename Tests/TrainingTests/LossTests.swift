import Foundation
import Testing
import Training

@Suite struct LossTests {
    let logits = LinearAlgebraTensor(shape: [2, 3], scalars: [1, 2, 0.5, -1, 0, 3])
    let labels = [1, 2]

    /// Softmax of one row in Double.
    func softmax(_ row: [Double]) -> [Double] {
        let maximum = row.max()!
        let exps = row.map { exp($0 - maximum) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    @Test func crossEntropyWithLabelSmoothing() {
        let value = Loss.softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: 0.3)
        var expected = 0.0
        var gradient: [Double] = []
        for row in 0..<2 {
            let p = softmax((0..<3).map { Double(logits.scalars[row * 3 + $0]) })
            for j in 0..<3 {
                let target = 0.1 + (j == labels[row] ? 0.7 : 0)
                expected -= target * log(p[j]) / 2
                gradient.append((p[j] - target) / 2)
            }
        }
        #expect(abs(Double(value.loss) - expected) < 1e-6)
        for (actual, want) in zip(value.gradient.scalars, gradient) { #expect(abs(Double(actual) - want) < 1e-6) }
    }

    @Test func distillationGradientMatchesFiniteDifferences() {
        let teacher = LinearAlgebraTensor(shape: [2, 3], scalars: [0.5, 1.5, -0.5, 0, -1, 2])
        func loss(_ z: LinearAlgebraTensor) -> Double {
            Double(Loss.distillation(logits: z, teacherLogits: teacher, labels: labels, temperature: 3, alpha: 0.7).loss)
        }
        let analytic = Loss.distillation(logits: logits, teacherLogits: teacher, labels: labels, temperature: 3, alpha: 0.7)
        for index in 0..<logits.count {
            var plus = logits
            var minus = logits
            plus.scalars[index] += 1e-2
            minus.scalars[index] -= 1e-2
            let numeric = (loss(plus) - loss(minus)) / 2e-2
            #expect(abs(Double(analytic.gradient.scalars[index]) - numeric) < 2e-3, "logit \(index)")
        }
    }

    @Test func distillationWithEqualLogitsIsLabelLossOnly() {
        let value = Loss.distillation(logits: logits, teacherLogits: logits, labels: labels, temperature: 4, alpha: 0.5)
        let hard = Loss.softmaxCrossEntropy(logits: logits, labels: labels)
        #expect(abs(value.loss - 0.5 * hard.loss) < 1e-6)
    }
}
