import Datasets
import Foundation
import LinearAlgebra

/// Result of `decompose`: the reported numbers and the factors it may write.
struct DecompositionOutcome {
    let method: String
    let shape: [Int]
    let ranks: [Int]
    let relativeError: Double
    let parameters: Int
    let iterations: Int
    /// Factor file stem and tensor, in the order the factors are written.
    let factors: [(name: String, tensor: any FactorTensor)]
    let adjustments: [String]
    var warnings: [String] = []
    var seconds: Double = 0

    init<Scalar: LAPACKScalar>(
        method: String, shape: [Int], ranks: [Int], relativeError: Double, parameters: Int, iterations: Int,
        factors: [(String, Tensor<Scalar>)], adjustments: [String]
    ) {
        self.method = method
        self.shape = shape
        self.ranks = ranks
        self.relativeError = relativeError
        self.parameters = parameters
        self.iterations = iterations
        self.factors = factors.map { ($0.0, $0.1 as any FactorTensor) }
        self.adjustments = adjustments
    }

    var summary: String {
        var lines = [
            "method          \(method)",
            "shape           \(shape.map(String.init).joined(separator: "×"))",
            "ranks           \(ranks.map(String.init).joined(separator: ","))",
            "relative error  \(String(format: "%.6g", relativeError))",
            "parameters      \(parameters) (\(String(format: "%.4g", Double(parameters) / Double(max(shape.reduce(1, *), 1)))) of \(shape.reduce(1, *)))",
            "iterations      \(iterations)",
            "time            \(String(format: "%.3f", seconds)) s",
        ]
        lines += adjustments.map { "note            \($0)" }
        lines += warnings.map { "warning         \($0)" }
        return lines.joined(separator: "\n")
    }

    func jsonString() throws -> String {
        var object: [String: Any] = [
            "method": method, "shape": shape, "ranks": ranks, "relative_error": relativeError,
            "parameters": parameters, "iterations": iterations, "seconds": seconds,
        ]
        if !adjustments.isEmpty { object["rank_adjustments"] = adjustments }
        if !warnings.isEmpty { object["warnings"] = warnings }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes each factor as `<name>.npy` into `directory`, creating it when needed.
    func writeFactors(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, tensor) in factors {
            try tensor.write(to: directory.appendingPathComponent("\(name).npy"))
        }
    }
}

/// A factor tensor of either precision that can be saved as .npy.
protocol FactorTensor {
    func write(to url: URL) throws
}

extension Tensor: FactorTensor where Scalar: LAPACKScalar {
    func write(to url: URL) throws {
        if let tensor = self as? Tensor<Double> {
            try NpyFile.write(tensor, to: url)
        } else {
            try NpyFile.write(self.converted(to: Float.self), to: url)
        }
    }
}
