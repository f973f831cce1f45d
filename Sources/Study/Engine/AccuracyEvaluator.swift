import Foundation
import Graph
import LinearAlgebra
import Runtime

/// Accuracy of one class: samples labelled with it and how many of them ranked it first.
public struct ClassAccuracy: Sendable, Equatable {
    public var label: Int
    public var name: String
    public var samples: Int
    public var correct: Int

    /// Fraction of the class's samples classified correctly; nil for a class without samples.
    public var accuracy: Double? { samples > 0 ? Double(correct) / Double(samples) : nil }
}

/// Accuracy figures of one evaluation.
public struct EvaluationResult: Sendable, Equatable {
    /// Fraction of samples whose label scored highest.
    public var top1: Double
    /// Fraction of samples whose label is among the five highest scores.
    public var top5: Double
    public var samples: Int
    public var perClass: [ClassAccuracy]
    /// Fraction of samples on which the model and the reference rank the same class first.
    public var referenceAgreement: Double?
    /// Mean over samples of KL(p_reference ‖ p_model) of the softmax outputs, in nats.
    public var meanKLDivergence: Double?
}

/// Runs a classifier over a labelled data set and counts top-1 and top-5 hits, per class and
/// in total, optionally against a reference model's predictions.
public struct AccuracyEvaluator {
    public let classifier: any ImageClassifier
    public let reference: (any ImageClassifier)?
    /// Applied to each batch before it reaches the model.
    public var transform: (Tensor<Float>) -> Tensor<Float> = { $0 }
    /// Applied to each batch before it reaches the reference model.
    public var referenceTransform: (Tensor<Float>) -> Tensor<Float> = { $0 }

    public init(classifier: any ImageClassifier, reference: (any ImageClassifier)? = nil) {
        self.classifier = classifier
        self.reference = reference
    }

    /// Evaluates every batch of `data`; `progress` receives the samples done so far.
    /// - Throws: `EvaluationError.unexpectedOutput` when an output is not [N, classes],
    ///   `.classCountMismatch` when the reference scores different classes, and the
    ///   runtime's errors.
    public func evaluate(_ data: LabelledData, progress: (Int) -> Void = { _ in }) throws -> EvaluationResult {
        var counts = Counts(classes: data.classNames.count)
        while let batch = try data.nextBatch() {
            let scores = try classScores(classifier, transform(batch.images), batch: batch.labels.count)
            let referenceScores = try reference.map {
                try classScores($0, referenceTransform(batch.images), batch: batch.labels.count)
            }
            if let referenceScores, referenceScores.count != scores.count {
                throw EvaluationError.classCountMismatch(
                    model: scores.count / batch.labels.count, reference: referenceScores.count / batch.labels.count)
            }
            counts.add(scores: scores, reference: referenceScores, labels: batch.labels)
            progress(counts.samples)
        }
        return counts.result(classNames: data.classNames, withReference: reference != nil)
    }

    /// Returns the scores `[N × classes]` of the classifier's first output.
    private func classScores(_ classifier: any ImageClassifier, _ images: Tensor<Float>, batch: Int) throws -> [Float] {
        let (name, scores) = try classifier.scores(images)
        guard scores.shape.first == batch, scores.count % batch == 0,
            scores.shape.dropFirst().filter({ $0 != 1 }).count <= 1
        else {
            throw EvaluationError.unexpectedOutput(model: classifier.modelName, output: name, shape: scores.shape, batch: batch)
        }
        return scores.scalars
    }
}

/// Running totals of an evaluation.
private struct Counts {
    var samples = 0
    var top1 = 0
    var top5 = 0
    var perClassSamples: [Int]
    var perClassCorrect: [Int]
    var agreements = 0
    var divergence = 0.0

    init(classes: Int) {
        perClassSamples = Array(repeating: 0, count: classes)
        perClassCorrect = Array(repeating: 0, count: classes)
    }

    mutating func add(scores: [Float], reference: [Float]?, labels: [Int]) {
        let classes = scores.count / labels.count
        for (sample, label) in labels.enumerated() {
            let row = scores[(sample * classes)..<((sample + 1) * classes)]
            let labelScore = label < classes ? row[row.startIndex + label] : -.infinity
            // Rank of the label: classes scoring strictly higher (ties count in the label's favour).
            let higher = row.reduce(0) { $0 + ($1 > labelScore ? 1 : 0) }
            samples += 1
            if higher == 0 { top1 += 1 }
            if higher < 5 { top5 += 1 }
            if label < perClassSamples.count {
                perClassSamples[label] += 1
                if higher == 0 { perClassCorrect[label] += 1 }
            }
            if let reference {
                let referenceRow = reference[(sample * classes)..<((sample + 1) * classes)]
                if argmax(row) == argmax(referenceRow) { agreements += 1 }
                divergence += klDivergence(from: referenceRow, to: row)
            }
        }
    }

    func result(classNames: [String], withReference: Bool) -> EvaluationResult {
        let total = Double(max(samples, 1))
        let perClass = classNames.indices.map {
            ClassAccuracy(label: $0, name: classNames[$0], samples: perClassSamples[$0], correct: perClassCorrect[$0])
        }
        return EvaluationResult(
            top1: Double(top1) / total, top5: Double(top5) / total, samples: samples, perClass: perClass,
            referenceAgreement: withReference ? Double(agreements) / total : nil,
            meanKLDivergence: withReference ? divergence / total : nil)
    }
}

private func argmax(_ row: ArraySlice<Float>) -> Int {
    var best = row.startIndex
    for index in row.indices where row[index] > row[best] { best = index }
    return best - row.startIndex
}

/// KL(p ‖ q) in nats of the softmax distributions p of `reference` and q of `scores`.
private func klDivergence(from reference: ArraySlice<Float>, to scores: ArraySlice<Float>) -> Double {
    let p = logSoftmax(reference)
    let q = logSoftmax(scores)
    var total = 0.0
    for (logP, logQ) in zip(p, q) { total += exp(logP) * (logP - logQ) }
    return max(total, 0)
}

private func logSoftmax(_ row: ArraySlice<Float>) -> [Double] {
    let maximum = Double(row.max() ?? 0)
    let logSum = log(row.reduce(0.0) { $0 + exp(Double($1) - maximum) }) + maximum
    return row.map { Double($0) - logSum }
}
